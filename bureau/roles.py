"""The portal's four roles, each a Django group with its permissions."""

import enum

from django.utils.translation import gettext_lazy as _


class Role(enum.Enum):
    BUREAU_STAFF = ("bureau_staff", _("局工作人员"))
    LEADERSHIP = ("leadership", _("局领导"))
    ENTERPRISE_USER = ("enterprise_user", _("企业填报员"))
    SYSTEM_ADMIN = ("system_admin", _("系统管理员"))
    # 三权分立 (等保 2.0 level 3): accounts and permissions, and the audit trail, each with an
    # administrator of its own; no account holds two of the three administrator roles.
    SECURITY_ADMIN = ("security_admin", _("安全管理员"))
    AUDIT_ADMIN = ("audit_admin", _("审计管理员"))

    def __init__(self, group_name: str, label: str) -> None:
        self.group_name = group_name
        self.label = label

    @property
    def home_url_name(self) -> str:
        return {
            "bureau_staff": "staff_home",
            "leadership": "reports:dashboard",
            "enterprise_user": "enterprises:portal_home",
            "system_admin": "admin:index",
            "security_admin": "admin:index",
            "audit_admin": "admin:index",
        }[self.group_name]


# Apps whose models bureau staff may change in the admin. Leadership gets only "view" on
# them; enterprise users get no model permission at all (their pages check ownership instead).
DOMAIN_APPS = (
    "bureau",
    "enterprises",
    "incubation",
    "digital",
    "talent",
    "finance",
    "reports",
    "evidence",
    "upstream",
)
STAFF_EXCLUDED_MODELS = {("bureau", "user")}
# Permissions that no role group receives automatically: staff need them granted one by one
# (personal data of the talent roster; other people's contact data: bureau.personal_data).
EXPLICIT_ONLY_PERMISSIONS = {("talent", "view_personal_data"), ("bureau", "view_contact_data")}


# The three administrator roles of 三权分立; an account holds at most one of them.
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
# Accounts, groups and permissions, and the sign-in lockouts: the security admin's alone.
ACCOUNT_MODELS = {
    ("bureau", "user"),
    ("auth", "group"),
    ("auth", "permission"),
    ("axes", "accessattempt"),
    ("axes", "accessattemptexpiration"),
    # Second-factor devices: the security admin removes a lost authenticator (never sees keys).
    ("otp_totp", "totpdevice"),
    ("otp_static", "staticdevice"),
    ("otp_static", "statictoken"),
}
# The audit trail: the audit admin reads it (view only); nobody else does.
AUDIT_MODELS = {
    ("audit", "securityevent"),
    ("talent", "personaldataaccess"),
    ("admin", "logentry"),
    ("axes", "accesslog"),
    ("axes", "accessfailurelog"),
}
