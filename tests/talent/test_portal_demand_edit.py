"""An enterprise corrects its own technology demand until staff match it with an institution."""

import pytest
from django.urls import reverse

from talent import services
from talent.models import TechnologyDemand
from tests.concurrency import token
from tests.talent.factories import DemandFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def _data(demand, **changes):
    data = {
        "title": demand.title,
        "description": "射频模块多芯片封装与可靠性测试",
        "field": demand.field,
        "budget": "8",
        "raised_on": demand.raised_on.isoformat(),
        "deadline": "",
        **token(demand),
    }
    data.update(changes)
    return data


def test_enterprise_edits_its_open_demand(enterprise_client, enterprise, enterprise_user):
    demand = DemandFactory(enterprise=enterprise)
    url = reverse("talent:portal_demand_edit", args=[demand.pk])
    assert (
        'class="button small">修改<'
        in enterprise_client.get(reverse("talent:portal_demands")).content.decode()
    )
    response = enterprise_client.post(url, _data(demand))
    assert response["Location"] == reverse("talent:portal_demands")
    demand.refresh_from_db()
    assert demand.description == "射频模块多芯片封装与可靠性测试" and demand.budget == 80000
    entry = demand.history.order_by("-history_id").first()
    assert entry.history_user == enterprise_user and entry.history_change_reason == "企业修改"


def test_matched_demand_can_no_longer_be_edited(enterprise_client, enterprise, staff_user):
    demand = DemandFactory(enterprise=enterprise)
    opened = token(demand)
    services.confirm_match(demand=demand, institution=InstitutionFactory(), by=staff_user)
    url = reverse("talent:portal_demand_edit", args=[demand.pk])
    response = enterprise_client.post(url, {**_data(demand, title="改过的标题"), **opened})
    assert response["Location"] == reverse("talent:portal_demands")
    assert TechnologyDemand.objects.get(pk=demand.pk).title == demand.title
    html = enterprise_client.get(response["Location"]).content.decode()
    assert "已为该技术需求对接高校院所，不能再修改" in html
    assert reverse("talent:portal_demand_edit", args=[demand.pk]) not in html
    assert enterprise_client.get(url)["Location"] == reverse("talent:portal_demands")


def test_stale_demand_form_is_refused(enterprise_client, enterprise):
    demand = DemandFactory(enterprise=enterprise)
    stale = token(demand)
    url = reverse("talent:portal_demand_edit", args=[demand.pk])
    enterprise_client.post(url, _data(demand, budget="9"))
    enterprise_client.post(url, {**_data(demand, budget="99"), **stale})
    demand.refresh_from_db()
    assert demand.budget == 90000


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_enterprises_demand_edit_is_404(method, outsider_client, enterprise):
    demand = DemandFactory(enterprise=enterprise)
    url = reverse("talent:portal_demand_edit", args=[demand.pk])
    response = getattr(outsider_client, method)(url, _data(demand) if method == "post" else None)
    assert response.status_code == 404


# --- Withdrawing ------------------------------------------------------------------------------


def _unsolved(year: int) -> tuple[int, int]:
    from talent import metrics

    got = {f.key: f.value for f in metrics.figures(year)}
    return got["talent.enterprises_with_demands"], got["talent.unsolved_demands"]


def test_enterprise_withdraws_its_open_demand_and_it_leaves_the_figures(
    enterprise_client, enterprise, enterprise_user
):
    from django.utils import timezone

    from talent.models import DemandStatus

    # Raised this year: the figures are as of the year's end, so a withdrawal today counts
    # (one withdrawn after an earlier year's end stays in that year's figures).
    demand = DemandFactory(enterprise=enterprise, raised_on=timezone.localdate())
    year = demand.raised_on.year
    assert _unsolved(year) == (1, 1)
    page = enterprise_client.get(reverse("talent:portal_demands")).content.decode()
    assert f'id="demand-withdraw-{demand.pk}"' in page and "data-confirm" in page
    url = reverse("talent:portal_demand_withdraw", args=[demand.pk])
    response = enterprise_client.post(url, token(demand))
    assert response["Location"] == reverse("talent:portal_demands")
    demand.refresh_from_db()
    assert demand.status == DemandStatus.WITHDRAWN
    entry = demand.history.order_by("-history_id").first()
    assert entry.history_user == enterprise_user and entry.history_change_reason == "企业撤回"
    page = enterprise_client.get(response["Location"]).content.decode()
    assert "技术需求已撤回" in page and "已撤回" in page
    assert f'id="demand-withdraw-{demand.pk}"' not in page
    assert _unsolved(year) == (0, 0)
    with pytest.raises(Exception, match="撤回"):
        services.confirm_match(demand=demand, institution=InstitutionFactory(), by=enterprise_user)


def test_matched_demand_can_no_longer_be_withdrawn(enterprise_client, enterprise, staff_user):
    demand = DemandFactory(enterprise=enterprise)
    opened = token(demand)
    services.confirm_match(demand=demand, institution=InstitutionFactory(), by=staff_user)
    url = reverse("talent:portal_demand_withdraw", args=[demand.pk])
    response = enterprise_client.post(url, opened)
    html = enterprise_client.get(response["Location"]).content.decode()
    assert "不能再修改或撤回" in html
    assert TechnologyDemand.objects.get(pk=demand.pk).status == "matched"


def test_withdraw_without_the_form_token_or_by_get_is_refused(enterprise_client, enterprise):
    demand = DemandFactory(enterprise=enterprise)
    url = reverse("talent:portal_demand_withdraw", args=[demand.pk])
    assert enterprise_client.get(url).status_code == 405
    enterprise_client.post(url)
    assert TechnologyDemand.objects.get(pk=demand.pk).status == "open"


def test_another_enterprises_demand_withdraw_is_404(outsider_client, enterprise):
    demand = DemandFactory(enterprise=enterprise)
    url = reverse("talent:portal_demand_withdraw", args=[demand.pk])
    assert outsider_client.post(url, token(demand)).status_code == 404
    assert TechnologyDemand.objects.get(pk=demand.pk).status == "open"
