"""python manage.py create_admin_accounts: the three administrators of 三权分立, for production.

Creates (or, with --reset, gives new passwords to) one account per administrator role:
system admin (系统管理员), security admin (安全管理员, accounts and permissions) and audit admin
(审计管理员, reads the security log). None is a superuser; each holds one role only. Passwords
are random, meet the password rules, and are printed once; each must be changed at first use.
"""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from bureau.models import User
from bureau.roles import Role

from .create_demo_accounts import strong_password

DEFAULT_NAMES = {
    Role.SYSTEM_ADMIN: "sysadmin",
    Role.SECURITY_ADMIN: "secadmin",
    Role.AUDIT_ADMIN: "auditadmin",
}


class Command(BaseCommand):
    help = "创建系统管理员、安全管理员、审计管理员三个账号（三权分立），密码只打印一次。"

    def add_arguments(self, parser):
        for role, name in DEFAULT_NAMES.items():
            parser.add_argument(f"--{role.group_name.replace('_', '-')}", default=name)
        parser.add_argument("--reset", action="store_true", help="为已存在的账号重新生成密码")

    @transaction.atomic
    def handle(self, *args, reset: bool, **options):
        from bureau.services import sync_role_groups

        sync_role_groups()
        printed = []
        for role in DEFAULT_NAMES:
            username = options[role.group_name]
            user, created = User.objects.get_or_create(username=username)
            if not (created or reset):
                self.stdout.write(f"{role.label}账号 {username} 已存在，未改动。")
                continue
            password = strong_password()
            user.set_password(password)
            user.is_staff = True
            user.is_superuser = False
            user.full_name = user.full_name or str(role.label)
            user.save()
            user.groups.set([Group.objects.get(name=role.group_name)])
            printed.append((role.label, username, password))
        for label, username, password in printed:
            self.stdout.write(f"  {label:<8} 用户名 {username:<12} 密码 {password}")
        if printed:
            self.stdout.write(self.style.WARNING("密码只显示这一次；首次登录后请立即修改。"))
