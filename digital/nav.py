from django.utils.translation import gettext_lazy as _

from bureau.context_processors import BUREAU, ENTERPRISE

NAV = [
    (30, _("数字化赋能"), "digital:overview", BUREAU),
    (30, _("数字化评测"), "digital:portal_assessments", ENTERPRISE),
]
