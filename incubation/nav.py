from django.utils.translation import gettext_lazy as _

from bureau.context_processors import BUREAU, ENTERPRISE

NAV = [
    (20, _("创新载体"), "incubation:overview", BUREAU),
    (20, _("研发平台与认定"), "incubation:portal_carriers", ENTERPRISE),
]
