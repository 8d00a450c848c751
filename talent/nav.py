from django.utils.translation import gettext_lazy as _

from bureau.context_processors import BUREAU, ENTERPRISE

NAV = [
    (40, _("人才与产学研"), "talent:overview", BUREAU),
    (40, _("人才名册"), "talent:portal_talents", ENTERPRISE),
    (41, _("技术需求"), "talent:portal_demands", ENTERPRISE),
]
