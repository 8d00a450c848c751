"""The security log (安全审计日志): append-only, one row per event an assessor asks about.

GB/T 22239-2019 level 3, 安全审计: who did what, when, from where, and whether it worked, kept at
least 180 days and protected from change. Rows are only ever inserted: the model refuses to
save an existing row or delete one, the admin offers neither, and on PostgreSQL a trigger
(migration 0001) refuses UPDATE and DELETE for every database role, the application's included.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    LOGIN = "login", _("登录成功")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    LOGOUT = "logout", _("退出登录")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    MFA_CHANGED = "mfa_changed", _("双因素认证变更")
    MFA_FAILED = "mfa_failed", _("动态口令验证失败")
    MFA_BACKUP_USED = "mfa_backup_used", _("使用备用验证码")
    ROLE_CHANGED = "role_changed", _("角色变更")
    PERMISSION_CHANGED = "permission_changed", _("权限变更")
    DOWNLOAD = "download", _("导出/下载")
    PERSONAL_DATA = "personal_data", _("查看个人信息")
    ACCESS_DENIED = "access_denied", _("越权访问被拒")
    NOT_FOUND = "not_found", _("访问不存在或无权的记录")
    UPLOAD = "upload", _("上传文件")
    LOG_EXPORTED = "log_exported", _("导出安全审计日志")


class AppendOnlyError(RuntimeError):
    """A change to or deletion of a security-log row was attempted."""


class SecurityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("安全审计日志只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("安全审计日志只能追加，不能删除。")


class SecurityEvent(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("事件"), max_length=32, choices=EventKind.choices)
    # The user as a plain id and name, not a foreign key: deleting a user must neither cascade
    # into the log nor update its rows.
    user_id = models.PositiveIntegerField(_("用户ID"), null=True, blank=True)
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    method = models.CharField(_("请求方式"), max_length=8, blank=True)
    path = models.CharField(_("路径"), max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(_("响应状态"), null=True, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全审计日志")
        verbose_name_plural = _("安全审计日志")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "at"], name="audit_kind_at"),
            models.Index(fields=["username", "at"], name="audit_user_at"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("安全审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("安全审计日志只能追加，不能删除。")


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords, for "not one of the last five" (等保 身份鉴别)."""

    user = models.ForeignKey(
        "bureau.User",
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField(_("密码摘要"), max_length=128)
    changed_at = models.DateTimeField(_("修改时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("密码历史")
        verbose_name_plural = _("密码历史")
        ordering = ["-changed_at", "-pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}"
