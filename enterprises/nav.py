from django.utils.translation import gettext_lazy as _

from bureau.context_processors import BUREAU, STAFF

NAV = [
    (20, _("梯次培育"), "enterprises:board", BUREAU),
    (21, _("资质提醒"), "enterprises:reminders", STAFF),
]
