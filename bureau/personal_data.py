"""Personal data (个人信息): which fields of which models hold it, who may see it unmasked, and
whether a lookup, search or ordering path touches it.

A model declares its personal fields once, as a class attribute mapping each field to how it is
masked::

    PERSONAL_FIELDS = {"name": "name", "phone": "phone", "email": "email"}
    PERSONAL_DATA_PERMISSION = "talent.view_personal_data"  # optional

Models without their own permission use `CONTACT_DATA_PERMISSION`. Both are explicit-only
(`bureau.roles.EXPLICIT_ONLY_PERMISSIONS`): no role group receives them, a system admin grants
them per user, and only bureau staff holding them see the values (leadership, system admins as a
role and enterprise users see them masked even when given the permission).

Everything that could tell a reader without the permission something about a value — a filter,
a search, a sort, a result count — goes through `touches_personal_data`, so the admin and the
list views refuse it (docs/personal-data.md).
"""

from collections.abc import Callable, Iterable, Mapping
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Expression, F, Model
from django.db.models.constants import LOOKUP_SEP

from .masking import mask_email, mask_name, mask_phone
from .roles import Role

# The general permission for other people's contact data (enterprises' legal representatives
# and contact persons, carriers' and institutions' contacts, bank contacts).
CONTACT_DATA_PERMISSION = "bureau.view_contact_data"

MASKS: dict[str, Callable[[str], str]] = {
    "name": mask_name,
    "phone": mask_phone,
    "email": mask_email,
}

ModelClass = type[Model]


def personal_fields(model: ModelClass) -> Mapping[str, str]:
    """The model's personal fields, each with its mask kind ({} for a model without any)."""
    return getattr(model, "PERSONAL_FIELDS", {})


def permission_for(model: ModelClass) -> str:
    """The permission ("app_label.codename") that unmasks the model's personal fields."""
    return getattr(model, "PERSONAL_DATA_PERMISSION", CONTACT_DATA_PERMISSION)


def can_view_personal_data(user, model: ModelClass) -> bool:
    """Only bureau staff holding the model's permission see its personal fields unmasked."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.role is Role.BUREAU_STAFF
        and user.has_perm(permission_for(model))
    )


def mask_value(model: ModelClass, field: str, value: object) -> str:
    """`value` of `model.field` as a reader without the permission sees it."""
    return MASKS[personal_fields(model)[field]]("" if value is None else str(value))


def shown(user, obj: Model, field: str) -> str:
    """`obj.field` as `user` may see it: unmasked with the model's permission, else masked
    (pages, and exports built from them)."""
    value = getattr(obj, field, "") or ""
    if can_view_personal_data(user, type(obj)):
        return str(value)
    return mask_value(type(obj), field, value)


@cache
def models_with_personal_data() -> tuple[ModelClass, ...]:
    """Every installed model that declares personal fields (the registry)."""
    return tuple(m for m in apps.get_models() if personal_fields(m))


def personal_target(model: ModelClass, path: str) -> tuple[ModelClass, str] | None:
    """The (model, field) of personal data that a lookup or ordering path reaches, if any.

    `path` is what a query string or `order_by` names: `phone__startswith`, `-name`,
    `talent__phone`, `enterprise__contact_phone__regex`, `pk`. Relations are followed both ways;
    the first part that is not a field (a lookup or transform) ends the walk.
    """
    current = model
    for part in path.lstrip("-+").split(LOOKUP_SEP):
        if part == "pk":
            part = current._meta.pk.name
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if field.name in personal_fields(current) and not field.is_relation:
            return current, field.name
        if not field.is_relation or field.related_model is None:
            return None
        current = field.related_model
    return None


def search_path(search_field: str) -> str:
    """The lookup path of an admin `search_fields` entry (`^name`, `=phone`, `@text`)."""
    return search_field.lstrip("^=@")


def expression_paths(value: object) -> Iterable[str]:
    """The field paths an ordering entry refers to: a string, or an expression with F()s."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, F):
        yield value.name
    elif isinstance(value, Expression) or hasattr(value, "get_source_expressions"):
        for source in value.get_source_expressions():
            yield from expression_paths(source)


def touches_personal_data(model: ModelClass, value: object, user) -> bool:
    """Whether a lookup/search/ordering entry reaches personal data `user` may not see."""
    for path in expression_paths(value):
        target = personal_target(model, search_path(path))
        if target is not None and not can_view_personal_data(user, target[0]):
            return True
    return False
