"""The English catalogue: known UI strings come out in English, and the login page follows the
visitor's language (Accept-Language or the language cookie), Chinese by default."""

import os
import tempfile
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext, trans_real

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
ENGLISH_HEADING = "Log in to the Science, Technology & Finance Bureau Portal"


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """`make test` compiles the catalogue first; a bare `pytest` run may find the .mo missing or
    older than the .po, so build it here (into a temporary file, renamed into place, so parallel
    workers never read half a file) and drop Django's cached catalogues."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        fd, tmp = tempfile.mkstemp(dir=MO.parent, suffix=".mo.tmp")
        os.close(fd)
        polib.pofile(str(PO)).save_as_mofile(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, MO)
        trans_real._translations = {}
        trans_real._default = None
    yield


def test_catalogue_is_complete():
    po = polib.pofile(str(PO))
    assert len(po) > 1000
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("科技金融局业务平台", "Science, Technology & Finance Bureau Portal"),
        ("领导看板", "Leadership dashboard"),
        ("企业填报员", "Enterprise user"),
        ("统一社会信用代码", "Unified social credit code"),
        ("科技型中小企业", "Tech-based SME"),
        ("高新技术企业", "High-tech enterprise"),
        ("专精特新“小巨人”企业", '"Little giant" enterprise'),
        ("孵化器", "Incubator"),
        ("众创空间", "Maker space"),
        ("银企对接会", "Bank–enterprise matchmaking events"),
        ("退出", "Log out"),
    ],
)
def test_known_strings_are_english(chinese, english):
    with translation.override("en"):
        assert gettext(chinese) == english
    with translation.override("zh-hans"):
        assert gettext(chinese) == chinese


def test_placeholders_and_plurals():
    with translation.override("en"):
        assert gettext("%(year)s年第%(quarter)s季度") % {"year": 2024, "quarter": 3} == "Q3 2024"
        assert ngettext("共 %(counter)s 条", "共 %(counter)s 条", 1) % {"counter": 1} == (
            "1 record"
        )
        assert ngettext("共 %(counter)s 条", "共 %(counter)s 条", 7) % {"counter": 7} == (
            "7 records"
        )


def test_units_compared_by_value_stay_as_they_are():
    """reports/ tells money (元) and countable figures (家, 个, 次, 项) apart by the unit string
    that finance/metrics.py publishes through gettext, so these must not change in English."""
    with translation.override("en"):
        for unit in ("元", "家", "个", "次", "项"):
            assert gettext(unit) == unit


@pytest.mark.django_db
def test_login_page_follows_accept_language(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ENGLISH_HEADING in html
    assert "Username" in html and "Password" in html
    assert "登录科技金融局业务平台" not in html
    assert '<html lang="en"' in html


@pytest.mark.django_db
def test_login_page_follows_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert ENGLISH_HEADING in html


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    html = client.get("/accounts/login/").content.decode()
    assert "登录科技金融局业务平台" in html
    assert "Log in to the Science" not in html


def test_the_translation_catalogue_defines_each_message_once():
    """Branches append their strings and the .po merges by union (.gitattributes): a message
    two branches both added comes in twice, and one of its translations is silently lost."""
    import polib
    from django.conf import settings

    for path in sorted(settings.LOCALE_PATHS[0].glob("*/LC_MESSAGES/django.po")):
        seen: dict[tuple, str] = {}
        twice = []
        for entry in polib.pofile(str(path)):
            key = (entry.msgctxt, entry.msgid)
            if key in seen:
                twice.append(f"{entry.msgid!r}: {seen[key]!r} / {entry.msgstr!r}")
            seen[key] = entry.msgstr
        assert not twice, f"{path}: defined twice: {twice}"
