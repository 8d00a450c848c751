"""Submits an enterprise cannot take back ask first, through `data-confirm` (no inline script):
the browser journeys in tests/digital and tests/finance answer the question; here each page's
button is checked to carry it, in both languages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url_name", "language", "question"),
    [
        ("finance:portal_needs", "zh-hans", "确定提交？提交后将转交局工作人员办理。"),
        ("talent:portal_demands", "zh-hans", "确定提交？提交后将转交局工作人员办理。"),
        ("finance:portal_needs", "en", "Submit? It will be passed to the bureau staff to handle."),
    ],
)
def test_final_submit_buttons_ask_first(enterprise_client, url_name, language, question):
    body = enterprise_client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<button type="submit" class="primary" data-confirm="{question}">' in body


def test_confirmation_is_handled_by_the_static_script_on_submit():
    from django.contrib.staticfiles import finders

    script = open(finders.find("bureau/behaviour.js"), encoding="utf-8").read()
    assert 'addEventListener("submit"' in script and "event.submitter" in script
