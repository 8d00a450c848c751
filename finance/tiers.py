"""Enterprise tier codes (梯次) that financial products may require.

The tier ladder itself (qualifications) belongs to `enterprises/` (issue 3); finance only
names the tiers by code so that a product can say which ones it serves. The codes follow the
ladder's qualification kinds; a tier code finance does not know is still matched by code and
shown as the code itself.
"""

from django.utils.translation import gettext_lazy as _

TIER_CHOICES: list[tuple[str, str]] = [
    ("tech_sme", _("科技型中小企业")),
    ("tech_innovative_sme", _("科技和创新型中小企业")),
    ("innovative_sme", _("创新型中小企业")),
    ("specialised_sme", _("专精特新中小企业")),
    ("little_giant", _("专精特新“小巨人”企业")),
    ("hitech", _("高新技术企业")),
    ("strategic_emerging", _("战略性新兴产业入库企业")),
]
TIER_LABELS: dict[str, str] = dict(TIER_CHOICES)


def tier_label(code: str) -> str:
    """The Chinese name of a tier code, or the code itself when finance does not know it."""
    return str(TIER_LABELS.get(code, code))
