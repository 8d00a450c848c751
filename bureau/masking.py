"""Masking of personal data (姓名、电话、邮箱) for lists, pages and the admin.

Plain functions over strings: the rule of who may see what unmasked is in
`bureau.personal_data`.
"""

MASK = "*"


def mask_name(name: str) -> str:
    """Keep the surname (first character) only: 张三 → 张*, 欧阳明月 → 欧***."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + MASK * max(1, len(name) - 1)


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits of a mobile (138****5678); for other numbers keep the
    last 2 characters only; empty stays empty."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    digits = [c for c in phone if c.isdigit()]
    if len(digits) == 11 and phone.isdigit():
        return phone[:3] + MASK * 4 + phone[-4:]
    if len(phone) <= 2:
        return MASK * len(phone)
    return MASK * (len(phone) - 2) + phone[-2:]


def mask_email(email: str) -> str:
    """Keep the first character of the local part and the domain: z***@example.com."""
    email = (email or "").strip()
    if not email:
        return ""
    local, at, domain = email.partition("@")
    if not at:
        return MASK * 3
    return (local[:1] or MASK) + MASK * 3 + "@" + domain
