"""Two-factor enrolment URLs, in django-two-factor-auth's namespace (its views reverse them)."""

from django.urls import path

from . import mfa_views

app_name = "two_factor"

urlpatterns = [
    path("", mfa_views.ProfileView.as_view(), name="profile"),
    path("setup/", mfa_views.SetupView.as_view(), name="setup"),
    path("setup/qrcode/", mfa_views.QRGeneratorView.as_view(), name="qr"),
    path("setup/complete/", mfa_views.SetupCompleteView.as_view(), name="setup_complete"),
    path("backup-codes/", mfa_views.BackupTokensView.as_view(), name="backup_tokens"),
    path("disable/", mfa_views.DisableView.as_view(), name="disable"),
]
