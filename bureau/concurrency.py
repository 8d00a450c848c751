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


def edit_token(instance: models.Model, *, fresh: bool = False) -> str:
    """The token a form carries: the latest history id, '' when there is none yet.

    `fresh` reads the database even when the row came with its token (annotate_edit_tokens):
    the check at save time must see saves made since the page was read.
    """
    manager = _history_manager(instance)
    if manager is None:
        return ""
    if not fresh and "edit_token_value" in instance.__dict__:
        # Read with the list (annotate_edit_tokens).
        value = instance.__dict__["edit_token_value"]
        return "" if value is None else str(value)
    latest = manager.order_by("-history_id").values_list("history_id", flat=True).first()
    return "" if latest is None else str(latest)


def annotate_edit_tokens(queryset: models.QuerySet) -> models.QuerySet:
    """The queryset with each row's token as `edit_token_value`, for a list whose rows each
    carry a form: one subquery instead of one query per row."""
    model = queryset.model
    history = getattr(model, model._meta.simple_history_manager_attribute).model
    pk_name = model._meta.pk.attname
    latest = (
        history._default_manager.filter(**{pk_name: models.OuterRef("pk")})
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    return queryset.annotate(edit_token_value=models.Subquery(latest))


def _who(entry) -> str:
    user = getattr(entry, "history_user", None)
    if user is None:
        return gettext("系统（导入或后台任务）")
    return (getattr(user, "full_name", "") or user.get_full_name() or user.username).strip()


class StaleEditError(Exception):
    """A save from a form opened before someone else's save; nothing was written.

    `missing` marks a POST that carried no token at all (an old tab opened before a deploy, a
    script): it cannot show which version it was based on, so it is refused as well.
    `next_url` is the page to reload when the POST went to an action URL with no page of its
    own; by default the request's own URL is reloaded.
    """

    def __init__(self, entry, *, missing: bool = False, next_url: str | None = None) -> None:
        self.entry = entry
        self.missing = missing
        self.next_url = next_url
        when = timezone.localtime(entry.history_date).strftime("%Y-%m-%d %H:%M") if entry else ""
        who = _who(entry) if entry else gettext("他人")
        if missing and entry is None:
            self.message = gettext(
                "保存未生效：提交的表单缺少版本标记（可能来自系统更新前打开的旧页面或脚本），"
                "无法确认它基于最新数据。页面已显示最新数据，请核对后重新填写。"
            )
        elif missing:
            self.message = gettext(
                "保存未生效：提交的表单缺少版本标记（可能来自系统更新前打开的旧页面或脚本），"
                "无法确认它基于最新数据；这条记录最近由 %(who)s 于 %(when)s 修改。"
                "为免覆盖，已保留现有数据；页面已显示最新数据，请核对后重新填写。"
            ) % {"who": who, "when": when}
        else:
            self.message = gettext(
                "保存未生效：您打开此页面后，%(who)s 已于 %(when)s 修改了这条记录。"
                "为免覆盖对方的修改，已保留对方保存的数据；页面已显示最新数据，请核对后重新填写。"
            ) % {"who": who, "when": when}
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def ensure_current(
    instance: models.Model, token: str | None, *, next_url: str | None = None
) -> None:
    """Raise StaleEditError unless `token` is still the record's latest change.

    `token` None means the POST carried no token: refused for a saved record (a form of the
    portal always renders one), accepted for a record being created, which has nothing to be
    stale against. Call inside the save's transaction: the row is locked first (SELECT ...
    FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transaction already holds the write lock), so
    two saves of one record are checked one after the other.
    """
    if instance.pk is None:
        return
    model = type(instance)
    list(model._default_manager.select_for_update().filter(pk=instance.pk).values_list("pk"))
    if token is None:
        raise StaleEditError(last_change(instance), missing=True, next_url=next_url)
    if edit_token(instance, fresh=True) != token:
        raise StaleEditError(last_change(instance), next_url=next_url)


def posted_token(request: HttpRequest, prefix: str = "") -> str | None:
    """The token a plain form posted (rendered by `{% edit_token_field obj %}`); None if absent."""
    name = f"{prefix}-{TOKEN_FIELD}" if prefix else TOKEN_FIELD
    if name not in request.POST:
        return None
    return request.POST.get(name) or ""


class TokenField(forms.CharField):
    """The hidden token. It never counts as a change: a row whose token moved on but whose
    values the user left alone is not saved (and so not refused)."""

    def has_changed(self, initial, data) -> bool:
        return False


def token_field(instance: models.Model | None = None) -> forms.CharField:
    """The hidden token field of a form (no label: loops over a form's fields print labels)."""
    return TokenField(
        required=False,
        label="",
        widget=forms.HiddenInput,
        initial=edit_token(instance) if instance is not None else "",
    )


class OptimisticLockFormMixin:
    """A ModelForm that carries the edit token and refuses a stale save (raises StaleEditError).

    Put it before the ModelForm base. The views need nothing more: StaleEditMiddleware shows
    the message on the reloaded page, which holds the newer values.
    """

    instance: models.Model
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, lock_record: models.Model | None = None, **kwargs: Any) -> None:
        self._lock_record = lock_record
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD] = token_field(self.lock_target())

    def lock_target(self) -> models.Model | None:
        """The record the form edits: a plain Form is given it (`lock_record=`) or names it by
        overriding this; a ModelForm edits its instance."""
        if self._lock_record is not None:
            return self._lock_record
        return getattr(self, "instance", None)

    def submitted_token(self) -> str | None:
        """The token the form was opened with; None when the POST has no token at all.

        Every page renders the token, so a browser always sends it ('' for a record that had
        no history yet). A POST without the field (a request built by hand, a tab opened
        before the token existed) is refused by ensure_current for a saved record.
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
            TOKEN_FIELD: TokenField(required=False, label="", widget=forms.HiddenInput),
            "__init__": __init__,
            "__module__": base.__module__,
        },
    )


def _form_token(form: forms.BaseForm) -> str | None:
    if form.add_prefix(TOKEN_FIELD) not in form.data:
        return None
    return form.cleaned_data.get(TOKEN_FIELD) or ""


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
        # The changelist's list_editable forms have no token field; the change form has, and a
        # POST of it without the token (an old tab, a script) is refused like a stale one.
        if change and TOKEN_FIELD in form.fields:
            ensure_current(obj, _form_token(form))
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
            return HttpResponseRedirect(exception.next_url or request.get_full_path())
        return None


def _has_history(model: type[models.Model]) -> bool:
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


class _StaleCheckedInlineFormSet:
    """An inline formset whose changed or deleted rows are checked like a change form."""

    def save_existing_objects(self, commit: bool = True):
        for form in self.initial_forms:
            if form.instance.pk is None:
                continue
            if form in self.deleted_forms or form.has_changed():
                ensure_current(form.instance, _form_token(form))
        return super().save_existing_objects(commit)


class OptimisticLockInlineMixin:
    """The refusal for the admin's inline rows (TabularInline/StackedInline).

    Each existing row carries its own token; a row changed or deleted from a page opened
    before someone else saved that row (on its own page, the portal or another admin) is
    refused, and with it the whole save of the page (the admin saves in one transaction).
    Rows left unchanged are not saved, so they are not checked.
    """

    def _locks(self, request, obj) -> bool:
        return _has_history(self.model) and self.has_change_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # Each row's token read with the rows (one subquery, not one query per row).
        return annotate_edit_tokens(queryset) if _has_history(self.model) else queryset

    def get_formset(self, request, obj=None, **kwargs):
        if not self._locks(request, obj):
            return super().get_formset(request, obj, **kwargs)
        kwargs["form"] = _locked_admin_form(kwargs.get("form", self.form))
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (_StaleCheckedInlineFormSet, formset), {})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._locks(request, obj):
            return fieldsets
        first_name, first_options = fieldsets[0]
        fields = list(first_options.get("fields", ()))
        if TOKEN_FIELD in fields:
            return fieldsets
        return [(first_name, {**first_options, "fields": [*fields, TOKEN_FIELD]}), *fieldsets[1:]]
