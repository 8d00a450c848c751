from django.utils.translation import gettext_lazy as _

from bureau.context_processors import BUREAU, ENTERPRISE, STAFF

NAV = [
    (20, _("梯次培育"), "enterprises:board", BUREAU),
    (21, _("资质提醒"), "enterprises:reminders", STAFF),
    (1, _("我的事项"), "enterprises:portal_items", ENTERPRISE),
]
