"""Enrolment and management of the second factor: django-two-factor-auth's views in the portal's
pages and language (templates/two_factor/), with the portal's issuer name and security log."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from two_factor import views as two_factor_views
from two_factor.utils import get_otpauth_url, totp_digits

from . import mfa
from .models import EventKind
from .services import record


def _safe_next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


class SetupView(two_factor_views.SetupView):
    """Enrolment: scan the QR code (or type the key), confirm with the first token."""

    template_name = "two_factor/core/setup.html"

    def get_form_list(self):
        form_list = super().get_form_list()
        if "generator" in form_list:
            form_list["generator"] = mfa.DeviceTokenForm
        return form_list

    def get_success_url(self) -> str:
        url = reverse("two_factor:setup_complete")
        following = _safe_next(self.request)
        return f"{url}?next={following}" if following else url

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        if self.steps.current == "generator":
            context["otpauth_url"] = get_otpauth_url(
                self.request.user.get_username(),
                context["secret_key"],
                settings.OTP_TOTP_ISSUER,
                totp_digits(),
            )
            context["issuer"] = settings.OTP_TOTP_ISSUER
        context["next"] = _safe_next(self.request)
        return context


class QRGeneratorView(two_factor_views.QRGeneratorView):
    """The enrolment QR code as an SVG image from this site (CSP img-src 'self')."""

    def get_issuer(self) -> str:
        return settings.OTP_TOTP_ISSUER


class SetupCompleteView(two_factor_views.SetupCompleteView):
    template_name = "two_factor/core/setup_complete.html"

    def get(self, request, *args, **kwargs):
        # The page itself, not two_factor's jump to a remembered "next": backup codes come first.
        return super(two_factor_views.SetupCompleteView, self).get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = _safe_next(self.request) or resolve_url(settings.LOGIN_REDIRECT_URL)
        return context


class BackupTokensView(two_factor_views.BackupTokensView):
    """Ten one-time backup codes; generating new ones voids the old ones."""

    template_name = "two_factor/core/backup_tokens.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            EventKind.MFA_CHANGED,
            request=self.request,
            action="backup_codes_generated",
            count=self.number_of_tokens,
        )
        return response


class ProfileView(two_factor_views.ProfileView):
    template_name = "two_factor/profile/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mfa_required"] = mfa.mfa_required_for(self.request.user)
        return context


class DisableView(two_factor_views.DisableView):
    """Removing the authenticator; where MFA is required, the next page asks to enrol again."""

    template_name = "two_factor/profile/disable.html"
    form_class = mfa.DisableForm

    def form_valid(self, form):
        super().form_valid(form)
        return redirect("two_factor:profile")
