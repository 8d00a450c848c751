"""The ownership gate and the tier adapter."""

import pytest
from django.apps import apps
from django.http import Http404

from finance import selectors
from tests.finance.factories import NeedFactory, SigningFactory

pytestmark = pytest.mark.django_db


def test_enterprise_tiers_is_empty_without_the_tier_ladder(enterprise):
    try:
        apps.get_model("enterprises", "Qualification")
    except LookupError:
        assert selectors.enterprise_tiers(enterprise) == {}
    else:  # once the ladder is merged, the adapter must at least return a mapping
        assert isinstance(selectors.enterprise_tiers(enterprise), dict)


def test_enterprise_user_gets_only_own_need_and_signing(enterprise_user, outsider_user, enterprise):
    need = NeedFactory(enterprise=enterprise)
    signing = SigningFactory(enterprise=enterprise)
    assert selectors.need_get_for_user(user=enterprise_user, pk=need.pk) == need
    assert selectors.signing_get_for_user(user=enterprise_user, pk=signing.pk) == signing
    with pytest.raises(Http404):
        selectors.need_get_for_user(user=outsider_user, pk=need.pk)
    with pytest.raises(Http404):
        selectors.signing_get_for_user(user=outsider_user, pk=signing.pk)
    assert list(selectors.need_list_for_user(user=outsider_user)) == []
