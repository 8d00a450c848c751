"""Excel writers of the notifications app, through the shared safe writer."""

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import spreadsheets
from bureau.personal_data import shown

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filing_xlsx(period, enterprises: Sequence, *, user) -> bytes:
    """Filing completion of `period`: one row per enterprise (selectors.filing_rows), contact
    data as `user` may see it."""
    headers = [
        _("企业名称"),
        _("统一社会信用代码"),
        _("填报状态"),
        _("填报时间"),
        _("联系人"),
        _("联系电话"),
        _("最近催报"),
    ]

    def local(value):
        return timezone.localtime(value).replace(tzinfo=None) if value else None

    rows = (
        [
            e.name,
            e.credit_code,
            _("已填报") if e.filed else _("未填报"),
            local(e.filed_at),
            shown(user, e, "contact_person"),
            shown(user, e, "contact_phone"),
            local(e.reminded_at),
        ]
        for e in enterprises
    )
    deadline = period.deadline.isoformat() if period.deadline else "—"
    return spreadsheets.write_xlsx(
        [
            spreadsheets.Sheet(
                title=_("填报情况"),
                headers=headers,
                rows=rows,
                preamble=[[_("%(p)s填报情况（截止日期：%(d)s）") % {"p": period, "d": deadline}]],
                widths=(36, 22, 10, 18, 12, 16, 18),
            )
        ]
    )


def reminders_xlsx(day, expiring: Sequence, not_renewed: Sequence, *, user) -> bytes:
    """The ladder reminders (enterprises.selectors.reminders) with days left and contacts."""

    def contact(e):
        return [shown(user, e, "contact_person"), shown(user, e, "contact_phone")]

    return spreadsheets.write_xlsx(
        [
            spreadsheets.Sheet(
                title=_("即将到期"),
                headers=[
                    _("企业名称"),
                    _("资质"),
                    _("证书编号"),
                    _("有效期至"),
                    _("剩余天数"),
                    _("联系人"),
                    _("联系电话"),
                ],
                rows=(
                    [
                        q.enterprise.name,
                        q.kind.name,
                        q.certificate_no,
                        q.valid_to,
                        (q.valid_to - day).days,
                        *contact(q.enterprise),
                    ]
                    for q in expiring
                ),
                widths=(36, 20, 22, 12, 10, 12, 16),
            ),
            spreadsheets.Sheet(
                title=_("未重新入库"),
                headers=[_("企业名称"), _("上年入库编号"), _("联系人"), _("联系电话")],
                rows=(
                    [q.enterprise.name, q.certificate_no, *contact(q.enterprise)]
                    for q in not_renewed
                ),
                widths=(36, 22, 12, 16),
            ),
        ]
    )
