"""Uploaded Word templates run in a Jinja2 sandbox: no server secrets, no unbounded work.

The attack (issue 14, critical 1): a staff user uploads a template whose text is
`{{ cycler.__init__.__globals__.os.environ.get('SECRET_KEY') }}`; any bureau role's export
then carried the secret key in the document.
"""

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from reports import exports, services, word, word_sandbox
from reports.models import WordTemplate
from reports.word import DEFAULT_TEMPLATE
from tests.factories import EnterpriseFactory

from .conftest import enterprise_source

pytestmark = pytest.mark.django_db

ATTACKS = [
    "{{ cycler.__init__.__globals__.os.environ.get('SECRET_KEY') }}",
    "{{ joiner.__init__.__globals__.os.environ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ title.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ range(10) }}",
    "{{ config }}",
    "{{ request }}",
    "{{ 'a' * 1000000000 }}",
    "{{ 9 ** 9999999 }}",
    "{% for c in title * 100000 %}{{ c }}{% endfor %}",
]


def _template_with(text: str) -> bytes:
    doc = Document(str(DEFAULT_TEMPLATE))
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _all_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


@pytest.fixture
def summary(figure_sources, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    EnterpriseFactory.create_batch(2)
    figure_sources(enterprises=enterprise_source)
    summary = services.ensure_summary(2024)
    services.regenerate(summary)
    return summary


@pytest.mark.parametrize("attack", ATTACKS)
def test_upload_of_a_template_that_reaches_outside_the_contract_is_refused(
    summary, staff_client, attack
):
    response = staff_client.post(
        reverse("reports:template_upload"),
        {"name": "恶意模板", "file": SimpleUploadedFile("t.docx", _template_with(attack))},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "模板" in body and ("不支持的占位符" in body or "试生成检查" in body)
    assert not WordTemplate.objects.exists()


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_stored_hostile_template_cannot_leak_the_secret_key_on_export(
    summary, monkeypatch, attack
):
    marker = "leak-marker-7f3a9c"
    monkeypatch.setenv("SECRET_KEY", marker)
    # A template that reached storage some other way (an older upload, a restored backup):
    # the export itself renders in the sandbox and refuses.
    WordTemplate.objects.create(
        name="旧模板",
        file=SimpleUploadedFile("old.docx", _template_with(attack)),
        is_active=True,
    )
    try:
        data = exports.build_docx(summary.pk)
    except Exception as exc:  # the render refuses: a sandbox or undefined-name error
        assert marker not in str(exc)
        return
    text = _all_text(data)
    assert marker not in text
    assert "__globals__" not in text and "<module" not in text and "<class" not in text


def test_the_sandbox_refuses_the_published_payload_directly():
    document = word.SummaryDocument(title="t", year=2024, blocks=[], figure_keys=[], missing=[])
    with pytest.raises(word_sandbox.TemplateRefused):
        word_sandbox.check_template(_template_with(ATTACKS[0]))
    # The default template renders in the same sandbox.
    assert word.render(document, organisation="局", date="2024年12月31日")


def test_a_template_using_only_the_contract_names_is_accepted_and_logged(
    summary, staff_client, caplog
):
    data = _template_with("{{ organisation }}文件 {{ date }}")
    with caplog.at_level(logging.INFO, logger="security"):
        response = staff_client.post(
            reverse("reports:template_upload"),
            {"name": "红头", "file": SimpleUploadedFile("ok.docx", data)},
        )
    assert response.status_code == 302
    template = WordTemplate.objects.get()
    assert template.is_active and template.uploaded_by.username
    record = next(r for r in caplog.records if "word template uploaded" in r.getMessage())
    assert template.uploaded_by.username in record.getMessage()
    assert "sha256=" in record.getMessage()


def test_the_admin_upload_runs_the_same_checks(summary, admin_client):
    response = admin_client.post(
        reverse("admin:reports_wordtemplate_add"),
        {
            "name": "后台上传",
            "file": SimpleUploadedFile("t.docx", _template_with(ATTACKS[0])),
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not WordTemplate.objects.exists()


def test_an_oversized_template_is_refused_before_it_is_parsed(summary, staff_client, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = staff_client.post(
        reverse("reports:template_upload"),
        {"name": "大文件", "file": SimpleUploadedFile("big.docx", b"x" * 2048)},
    )
    assert "文件过大" in response.content.decode()
    assert not WordTemplate.objects.exists()
