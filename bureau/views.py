from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from two_factor import views as two_factor_views
from two_factor.views.utils import IdempotentSessionWizardView

from audit import mfa

from .access import BUREAU_ROLES, EDITOR_ROLES, role_required
from .filters import ActivityFilter
from .forms import ActivityQuickForm, LoginForm
from .models import Activity, ReportingPeriod, Target
from .reminders import staff_reminders


class LoginView(two_factor_views.LoginView):
    """Sign-in in two steps: password (axes lockout, address throttle), then the token.

    django-two-factor-auth's wizard; the token step appears for a user with an authenticator
    (audit.mfa). The password step keeps plain field names (`username`, `password`), and a POST
    without the wizard's step field is the password step, so the page reads and posts as the
    portal's old one-step form did.
    """

    template_name = "registration/login.html"
    form_list = (
        (two_factor_views.LoginView.AUTH_STEP, LoginForm),
        (two_factor_views.LoginView.TOKEN_STEP, mfa.TokenForm),
        (two_factor_views.LoginView.BACKUP_STEP, mfa.BackupTokenForm),
    )
    redirect_authenticated_user = True

    def get_form_prefix(self, step=None, form=None) -> str:
        return "" if step == self.AUTH_STEP else super().get_form_prefix(step, form)

    def post(self, *args, **kwargs):
        step_field = f"{self.prefix}-current_step"
        if step_field not in self.request.POST and "wizard_goto_step" not in self.request.POST:
            data = self.request.POST.copy()
            data[step_field] = self.AUTH_STEP
            self.request.POST = data
            self.storage.reset()
        return super().post(*args, **kwargs)

    def get_form(self, step=None, **kwargs):
        # Past two_factor's get_form, which swaps in its own English token form.
        form = IdempotentSessionWizardView.get_form(self, step=step, **kwargs)
        if self.show_timeout_error:
            form.cleaned_data = getattr(form, "cleaned_data", {})
            form.add_error(None, _("登录已超时，请重新输入用户名和密码。"))
        return form

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["next"] = self.get_redirect_url()
        context["mfa_optional"] = not settings.MFA_REQUIRED
        return context


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for by themselves, points at the static icon."""
    return redirect(static("bureau/favicon.ico"))


class LogoutView(auth_views.LogoutView):
    template_name = "registration/logged_out.html"


def home(request):
    """Send each role to its own home."""
    if not request.user.is_authenticated:
        return redirect("login")
    role = request.user.role
    if role is None:
        raise PermissionDenied(_("该账号尚未分配角色，请联系系统管理员。"))
    return redirect(reverse(role.home_url_name))


@role_required(*EDITOR_ROLES)
def staff_home(request):
    year = timezone.localdate().year
    periods = ReportingPeriod.objects.all()[:8]
    recent = (
        Activity.objects.select_related("kind")
        .annotate(n=Count("enterprises"))
        .order_by("-date", "-pk")[:10]
    )
    by_kind = (
        Activity.objects.filter(date__year=year)
        .values("kind__name")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return render(
        request,
        "bureau/staff_home.html",
        {
            "year": year,
            "periods": periods,
            "recent": recent,
            "by_kind": by_kind,
            "targets": Target.objects.filter(year__in=[year, year + 1]),
            "reminders": staff_reminders(timezone.localdate()),
            **_inbox_context(),
        },
    )


STAFF_HOME_INBOX = 10


def _inbox_context() -> dict:
    """The staff inbox (what enterprises submitted, not yet handled) and filing completion of
    the open periods: five queries whatever the number of items (notifications.selectors)."""
    from notifications import selectors as inbox

    return {
        "inbox_items": list(inbox.open_inbox_items()[:STAFF_HOME_INBOX]),
        "inbox_counts": inbox.inbox_counts(),
        "filing": inbox.filing_summaries(),
        "now": timezone.now(),
    }


@role_required(*BUREAU_ROLES)
def activity_list(request):
    qs = (
        Activity.objects.select_related("kind")
        .annotate(n_enterprises=Count("enterprises"))
        .order_by("-date", "-pk")
    )
    flt = ActivityFilter(request.GET, queryset=qs)
    page = Paginator(flt.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "bureau/activity_list.html",
        {"filter": flt, "page": page, "query": query.urlencode()},
    )


@role_required(*EDITOR_ROLES)
def activity_create(request):
    form = ActivityQuickForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        # The activity, its enterprises and its staff: all saved or none (a connection lost
        # midway leaves no activity without its participants).
        with transaction.atomic():
            activity = form.save(commit=False)
            activity.created_by = request.user
            activity.save()
            form.save_m2m()
            activity.staff.add(request.user)
        messages.success(request, _("已登记活动：%(t)s") % {"t": activity.topic})
        return redirect("activity_list")
    return render(request, "bureau/activity_form.html", {"form": form})
