"""The portal has an icon: linked from every page and answered at /favicon.ico."""

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].startswith("/static/bureau/favicon")
    assert response["Location"].endswith(".ico")


def test_static_icon_is_a_real_ico_of_small_sizes():
    path = finders.find("bureau/favicon.ico")
    assert path
    with Image.open(path) as icon:
        assert icon.format == "ICO"
        assert (32, 32) in icon.info["sizes"] and (16, 16) in icon.info["sizes"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_links_the_icon(client, staff_client, language):
    for c, path in ((client, "/accounts/login/"), (staff_client, "/staff/")):
        body = c.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert '<link rel="icon" href="/static/bureau/favicon' in body
        assert 'type="image/svg+xml"' in body
