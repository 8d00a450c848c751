import pytest

from talent.masking import mask_email, mask_name, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [("", ""), ("王", "王*"), ("张三", "张*"), ("李小明", "李**"), ("欧阳明月", "欧***")],
)
def test_mask_name_keeps_only_the_first_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("", ""),
        ("13912345678", "139****5678"),
        ("0564-8612345", "**********45"),
        ("12", "**"),
        ("123", "*23"),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("email", "masked"),
    [("", ""), ("zhang@example.cn", "z***@example.cn"), ("noat", "***"), ("@x.cn", "****@x.cn")],
)
def test_mask_email(email, masked):
    assert mask_email(email) == masked
