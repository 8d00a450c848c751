"""Optimistic locking (防止覆盖他人修改): a stale form cannot overwrite a newer save.

The token is the id of the record's latest history entry (django-simple-history), rendered as
a hidden field when the form is opened. A save compares it with the latest entry under a row
lock; if someone saved in between, the save is refused with who changed the record and when,
and the newer values stay. Every model the portal lets two people edit keeps history already,
so this needs no extra column, and the message's "who and when" is the entry that moved it.

Used by `OptimisticLockFormMixin` (portal and staff pages) and `OptimisticLockAdminMixin`
(the admin); `StaleEditMiddleware` turns a refusal into a message on the reloaded page.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext

TOKEN_FIELD = "edit_token"  # noqa: S105 (a form field name, not a secret)


def _history_manager(instance: models.Model):
    meta = getattr(type(instance), "_meta", None)
    simple_history = getattr(meta, "simple_history_manager_attribute", None)
    if simple_history is None or instance.pk is None:
        return None
    return getattr(instance, simple_history)


def last_change(instance: models.Model):
    """The record's latest history entry, or None (unsaved, or saved without history)."""
    manager = _history_manager(instance)
    if manager is None:
        return None
    return manager.select_related("history_user").order_by("-history_id").first()


def edit_token(instance: models.Model) -> str:
    """The token a form carries: the latest history id, '' when there is none yet."""
    manager = _history_manager(instance)
    if manager is None:
        return ""
    latest = manager.order_by("-history_id").values_list("history_id", flat=True).first()
    return "" if latest is None else str(latest)


def _who(entry) -> str:
    user = getattr(entry, "history_user", None)
    if user is None:
        return gettext("系统（导入或后台任务）")
    return (getattr(user, "full_name", "") or user.get_full_name() or user.username).strip()


class StaleEditError(Exception):
    """A save from a form opened before someone else's save; nothing was written."""

    def __init__(self, entry) -> None:
        self.entry = entry
        when = timezone.localtime(entry.history_date).strftime("%Y-%m-%d %H:%M") if entry else ""
        self.message = gettext(
            "保存未生效：您打开此页面后，%(who)s 已于 %(when)s 修改了这条记录。"
            "为免覆盖对方的修改，已保留对方保存的数据；页面已显示最新数据，请核对后重新填写。"
        ) % {"who": _who(entry) if entry else gettext("他人"), "when": when}
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def ensure_current(instance: models.Model, token: str | None) -> None:
    """Raise StaleEditError unless `token` is still the record's latest change.

    Call inside the save's transaction: the row is locked first (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite's IMMEDIATE transaction already holds the write lock), so two saves of
    one record are checked one after the other.
    """
    if instance.pk is None or token is None:
        return
    model = type(instance)
    list(model._default_manager.select_for_update().filter(pk=instance.pk).values_list("pk"))
    if edit_token(instance) != token:
        raise StaleEditError(last_change(instance))


class OptimisticLockFormMixin:
    """A ModelForm that carries the edit token and refuses a stale save (raises StaleEditError).

    Put it before the ModelForm base. The views need nothing more: StaleEditMiddleware shows
    the message on the reloaded page, which holds the newer values.
    """

    instance: models.Model
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=edit_token(self.lock_target())
        )

    def lock_target(self) -> models.Model:
        """The record the form edits (a plain Form names it by overriding this)."""
        return self.instance

    def submitted_token(self) -> str | None:
        """The token the form was opened with; None when the POST has no token at all.

        Every page renders the token, so a browser always sends it ('' for a record that had
        no history yet). A request built by hand without the field is not checked.
        """
        if self.add_prefix(TOKEN_FIELD) not in self.data:
            return None
        return self.cleaned_data.get(TOKEN_FIELD) or ""

    def save(self, commit: bool = True):
        if not commit:
            # The caller saves the instance itself; it must call ensure_current first.
            return super().save(commit=False)
        with transaction.atomic():
            ensure_current(self.lock_target(), self.submitted_token())
            return super().save(commit=True)


def _locked_admin_form(base: type[forms.ModelForm]) -> type[forms.ModelForm]:
    if TOKEN_FIELD in base.base_fields:
        return base

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        base.__init__(self, *args, **kwargs)
        self.fields[TOKEN_FIELD].initial = edit_token(self.instance)

    return type(
        base.__name__,
        (base,),
        {
            TOKEN_FIELD: forms.CharField(required=False, widget=forms.HiddenInput),
            "__init__": __init__,
            "__module__": base.__module__,
        },
    )


class OptimisticLockAdminMixin:
    """The same refusal in the admin's change form (ModelAdmin.save_model)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("form", _locked_admin_form(kwargs.get("form", self.form)))
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            # Adding has nothing to be stale against; a view-only page shows no inputs.
            return [
                (name, {**opts, "fields": [f for f in opts.get("fields", ()) if f != TOKEN_FIELD]})
                for name, opts in fieldsets
            ]
        # The token is rendered with the first fieldset, as a hidden input.
        first_name, first_options = fieldsets[0]
        fields = list(first_options.get("fields", ()))
        if TOKEN_FIELD not in fields:
            fieldsets = [
                (first_name, {**first_options, "fields": [*fields, TOKEN_FIELD]}),
                *fieldsets[1:],
            ]
        return fieldsets

    def save_model(self, request, obj, form, change) -> None:
        # The changelist's list_editable forms carry no token; only the change form is checked.
        if change and TOKEN_FIELD in form.fields and form.add_prefix(TOKEN_FIELD) in form.data:
            ensure_current(obj, form.cleaned_data.get(TOKEN_FIELD) or "")
        super().save_model(request, obj, form, change)


class StaleEditMiddleware:
    """A refused stale save answers with the page reloaded (newer values) and the reason."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, StaleEditError):
            messages.error(request, exception.message)
            return HttpResponseRedirect(request.get_full_path())
        return None
