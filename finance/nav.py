from django.utils.translation import gettext_lazy as _

from bureau.context_processors import BUREAU, ENTERPRISE

NAV = [
    (60, _("科技金融"), "finance:overview", BUREAU),
    (60, _("融资需求"), "finance:portal_needs", ENTERPRISE),
]
