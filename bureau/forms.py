from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from enterprises.picker import EnterpriseMultiPicker

from .formfields import BureauModelForm, DateInput
from .models import Activity


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。连续失败5次后账号将被锁定1小时。"),
        "inactive": _("该账号已停用。"),
    }


class ActivityQuickForm(BureauModelForm):
    """The quick-entry form staff fill right after a seminar or visit."""

    class Meta:
        model = Activity
        fields = ["kind", "date", "topic", "place", "attendance", "enterprises", "notes"]
        widgets = {
            "date": DateInput(),
            "enterprises": EnterpriseMultiPicker(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
