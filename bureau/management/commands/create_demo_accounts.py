"""python manage.py create_demo_accounts [--reset]: one demo account per role.

Passwords are random and printed once, when the accounts are created (or reset). Each staff,
leadership and administrator account also gets an authenticator (TOTP) whose otpauth:// URI is
printed once beside the password: paste it into an authenticator app (or turn it into a QR code)
to sign in with the second factor. Under `make run` two-factor sign-in is only offered, so the
token may be left empty; with MFA_REQUIRED=true (and always when DEBUG is false) it is asked.
"""

import secrets

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audit.mfa import otpauth_uri, role_needs_mfa
from bureau.models import User
from bureau.roles import ADMIN_ROLES, Role

ACCOUNTS = [
    ("demo_staff", "演示·局工作人员", Role.BUREAU_STAFF),
    ("demo_leader", "演示·局领导", Role.LEADERSHIP),
    ("demo_enterprise", "演示·企业填报员", Role.ENTERPRISE_USER),
    ("demo_admin", "演示·系统管理员", Role.SYSTEM_ADMIN),
    ("demo_security", "演示·安全管理员", Role.SECURITY_ADMIN),
    ("demo_auditor", "演示·审计管理员", Role.AUDIT_ADMIN),
]


def strong_password() -> str:
    """A random password that meets the portal's own rules (length, three character classes)."""
    while True:
        password = (
            secrets.token_urlsafe(12) + secrets.choice("#%+=@!") + secrets.choice("0123456789")
        )
        if any(c.isupper() for c in password) and any(c.islower() for c in password):
            return password


class Command(BaseCommand):
    help = "创建每个角色的演示账号，并只在创建时打印一次密码。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="重置演示账号的密码并重新打印")

    @transaction.atomic
    def handle(self, *args, reset: bool, **options):
        from enterprises.demo import demo_code
        from enterprises.models import Enterprise, EnterpriseAccount

        enterprise = Enterprise.objects.filter(credit_code=demo_code(0)).first()
        if enterprise is None:
            raise CommandError("请先运行 python manage.py seed_demo 载入演示企业。")
        printed = []
        for username, full_name, role in ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"full_name": full_name}
            )
            if not (created or reset):
                continue
            password = strong_password()
            user.set_password(password)
            user.is_staff = role in (Role.BUREAU_STAFF, *ADMIN_ROLES)
            # 三权分立: the three administrators are roles (groups), never the superuser flag.
            user.is_superuser = False
            user.save()
            user.groups.set([Group.objects.get(name=role.group_name)])
            if role is Role.ENTERPRISE_USER:
                EnterpriseAccount.objects.update_or_create(
                    user=user, defaults={"enterprise": enterprise}
                )
            uri = self._authenticator(user) if role_needs_mfa(role) else ""
            printed.append((role.label, username, password, uri))
        if not printed:
            self.stdout.write(
                "演示账号已存在（密码只在创建时打印一次；如需重新生成请加 --reset）。"
            )
            return
        self.stdout.write(self.style.WARNING("演示账号（密码只显示这一次，请记下）："))
        for label, username, password, uri in printed:
            line = f"  {label:<10} 用户名 {username:<16} 密码 {password}"
            self.stdout.write(f"{line} 动态口令 {uri}" if uri else line)
        self.stdout.write(f"  企业填报员所属企业：{enterprise.name}")
        self.stdout.write(
            "  动态口令：把 otpauth:// 地址导入手机身份验证器应用（或生成二维码扫描）。"
            "make run 下双因素认证未强制，登录时口令可留空；MFA_REQUIRED=true 时必须输入。"
        )

    @staticmethod
    def _authenticator(user: User) -> str:
        """A fresh confirmed TOTP device (the old one and its backup codes removed); its URI."""
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        return otpauth_uri(user.get_username(), device.key, device.digits)
