from django.utils.translation import gettext_lazy as _

from bureau.context_processors import BUREAU, ENTERPRISE

NAV = [
    (22, _("证明材料"), "evidence:list", BUREAU),
    (4, _("证明材料"), "evidence:portal_list", ENTERPRISE),
]
