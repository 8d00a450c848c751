from django.utils.translation import gettext_lazy as _

from bureau.context_processors import BUREAU

NAV = [
    (60, _("年度总结"), "reports:summary_list", BUREAU),
]
