from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import BUREAU_ROLES, EDITOR_ROLES, role_required
from .filters import ActivityFilter
from .forms import ActivityQuickForm, LoginForm
from .models import Activity, ReportingPeriod, Target
from .reminders import staff_reminders


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


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
        },
    )


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
        activity = form.save(commit=False)
        activity.created_by = request.user
        activity.save()
        form.save_m2m()
        activity.staff.add(request.user)
        messages.success(request, _("已登记活动：%(t)s") % {"t": activity.topic})
        return redirect("activity_list")
    return render(request, "bureau/activity_form.html", {"form": form})
