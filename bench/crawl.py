"""Crawl every page once cold and once warm, as staff, leadership and an enterprise (issue 16).

    DATABASE_URL=postgres://… REDIS_URL=redis://127.0.0.1:6379/5 python bench/crawl.py
        [--per-route 2] [--limit 600]                                   # → bench/results/

Target: no request over 2 s at 100,000 enterprises; anything slower becomes a task with
progress. Each role starts from its home page and the resolver's routes that need no argument
(the admin's index and changelists for staff), then follows every same-site link of the pages
it gets (breadth first), at most `--per-route` distinct URLs per route name (a detail page is
visited for two records, not for all of them), and never a link that signs out or switches
the language. Each URL is requested twice through Django's test client: cold, right after the
cache is cleared (every figure recomputed), and warm, right after. Server time only, with the
query count; a download counts to its last byte (a streamed export is read to the end).

With REDIS_URL set, background tasks are queued to the broker (no worker runs, as a request
never waits for one) and the cache is Redis, as in production; without it tasks run eagerly in
the request, which is not what a deployment does, so the result says which it was.
"""

from __future__ import annotations

import argparse
import collections
import json
import logging
import os
import platform
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale_bench import setup  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_MS = 2000
SKIP_PREFIXES = ("/static/", "/media/", "/i18n/", "/accounts/logout/", "/favicon.ico")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(html: str, base: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    out = []
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        if not href or href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue  # another site
        if href.startswith("?"):
            href = urlsplit(base).path + href
        elif not href.startswith("/"):
            continue
        out.append(href)
    return out


def argless_routes(patterns, prefix="", namespace=""):
    """The resolver's routes that take no argument (list pages nobody links to included)."""
    from django.urls import URLPattern, URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from argless_routes(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if "<" not in route and "(" not in route and not route.startswith("^"):
                yield "/" + route


def durability() -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        return connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        return f"fsync={fsync}, synchronous_commit={cursor.fetchone()[0]}"


def users():
    """One user per role the crawl walks: bench accounts, made once."""
    from django.contrib.auth.models import Group

    from bureau.models import User
    from bureau.roles import Role
    from enterprises.models import AnnualFigures, Enterprise, EnterpriseAccount

    made = {}
    for persona, role in (
        ("staff", Role.BUREAU_STAFF),
        ("leader", Role.LEADERSHIP),
        ("enterprise", Role.ENTERPRISE_USER),
    ):
        user, created = User.objects.get_or_create(
            username=f"bench-crawl-{persona}", defaults={"full_name": f"bench {persona}"}
        )
        if created:
            user.is_staff = role is Role.BUREAU_STAFF
            user.save()
            user.groups.set([Group.objects.get(name=role.group_name)])
        made[persona] = user
    if not EnterpriseAccount.objects.filter(user=made["enterprise"]).exists():
        # The enterprise with the most years of figures: its pages carry the most rows.
        firm = (
            AnnualFigures.objects.values_list("enterprise", flat=True).order_by("enterprise").last()
        )
        enterprise = Enterprise.objects.get(pk=firm) if firm else Enterprise.objects.first()
        EnterpriseAccount.objects.create(user=made["enterprise"], enterprise=enterprise)
    return made


def fetch(client, url: str):
    """(status, ms, queries, content type, bytes, response) of one GET, a streamed body read to the end."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The log keeps 9,000 queries at most: once full its length stops growing and the
    # context would count none, so it starts empty for each request.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        ms = (time.perf_counter() - start) * 1000
    kind = response.get("Content-Type", "").split(";")[0]
    return response.status_code, ms, len(ctx.captured_queries), kind, size, response


def crawl(persona: str, user, per_route: int, limit: int) -> list[dict]:
    from django.contrib import admin
    from django.core.cache import cache
    from django.test import Client
    from django.urls import Resolver404, get_resolver, resolve

    client = Client()
    client.force_login(user)
    # (url, linked): a route taken from the resolver may be another role's (403) or POST-only
    # (405); a page's own link must answer.
    queue = collections.deque([("/", True)])
    if persona == "staff":
        queue.append(("/admin/", True))
        queue.extend(
            (f"/admin/{m._meta.app_label}/{m._meta.model_name}/", False)
            for m in admin.site._registry
        )
    queue.extend((u, False) for u in sorted(set(argless_routes(get_resolver().url_patterns))))
    seen: set[str] = set()
    per_name: collections.Counter = collections.Counter()
    rows = []
    while queue and len(rows) < limit:
        url, linked = queue.popleft()
        if url in seen or url.startswith(SKIP_PREFIXES):
            continue
        seen.add(url)
        path = urlsplit(url).path
        try:
            match = resolve(path)
        except Resolver404:
            continue
        name = match.view_name
        if path.startswith("/admin/"):
            # One changelist, one change form per model: the admin's actions are POSTs.
            parts = path.strip("/").split("/")
            name = "admin:" + "/".join(parts[1:3] + (["change"] if len(parts) > 3 else []))
            if any(p in ("delete", "history", "add", "password") for p in parts[3:]):
                continue
        if per_name[name] >= per_route:
            continue
        per_name[name] += 1
        cache.clear()
        status, cold_ms, cold_q, kind, size, response = fetch(client, url)
        if status != 200:
            if linked or status not in (403, 404, 405):
                rows.append({"url": url, "name": name, "status": status})
            continue
        status_w, warm_ms, warm_q, _k, _s, _r = fetch(client, url)
        rows.append(
            {
                "url": url,
                "name": name,
                "status": status,
                "type": kind,
                "kib": round(size / 1024, 1),
                "cold_ms": round(cold_ms, 1),
                "cold_queries": cold_q,
                "warm_ms": round(warm_ms, 1),
                "warm_queries": warm_q,
            }
        )
        if kind == "text/html" and not response.streaming:
            html = response.content.decode("utf-8", "replace")
            queue.extend((link, True) for link in links_of(html, url))
        print(f"# {persona} {cold_ms:8.0f} {warm_ms:8.0f} ms  {url}", file=sys.stderr)
    return rows


def measure(per_route: int, limit: int) -> dict:
    setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the expected 403s
    from django.conf import settings
    from django.db import connection

    from enterprises.models import Enterprise

    result = {
        "benchmark": "crawl",
        "enterprises": Enterprise.objects.count(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": connection.vendor,
        "durability": durability(),
        "tasks": "eager, in the request" if settings.CELERY_TASK_ALWAYS_EAGER else "queued",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "target_ms": TARGET_MS,
        "roles": {},
    }
    for persona, user in users().items():
        result["roles"][persona] = crawl(persona, user, per_route, limit)
    pages = [
        {**row, "role": persona}
        for persona, rows in result["roles"].items()
        for row in rows
        if row["status"] == 200
    ]
    result["pages"] = len(pages)
    result["not_200"] = [
        {"role": p, "url": r["url"], "status": r["status"]}
        for p, rows in result["roles"].items()
        for r in rows
        if r["status"] != 200 and r["status"] not in (301, 302)
    ]
    result["slowest_cold"] = sorted(pages, key=lambda r: -r["cold_ms"])[:10]
    result["slowest_warm"] = sorted(pages, key=lambda r: -r["warm_ms"])[:10]
    result["over_target_cold"] = sum(r["cold_ms"] > TARGET_MS for r in pages)
    result["over_target_warm"] = sum(r["warm_ms"] > TARGET_MS for r in pages)
    result["meets_target"] = not result["over_target_cold"] and not result["over_target_warm"]
    try:
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    return result


def section() -> list[str]:
    """The crawl's section of docs/benchmarks.md, from every kept crawl result."""
    found = sorted(
        (json.loads(p.read_text(encoding="utf-8")) for p in RESULTS.glob("crawl-*.json")),
        key=lambda r: r["enterprises"],
    )
    if not found:
        return []
    lines = [
        "## Every page, cold and warm (issue 16) — `bench/crawl.py`",
        "",
        "Staff, leadership and an enterprise user each crawl from their home page, the routes",
        "without arguments and (staff) the admin, following links, at most two URLs per route;",
        "each URL is requested cold (cache cleared just before) and warm. Server time through",
        "Django's test client. Target: no request over 2 s at 100,000 enterprises.",
        "",
    ]
    for r in found:
        verdict = "meets" if r["meets_target"] else "misses"
        lines += [
            f"**{r['enterprises']:,} enterprises** ({r['database']}, {r['durability']}; tasks "
            f"{r['tasks']}; {r['date']}; load average {r.get('load_average', '?')}): "
            f"{r['pages']} pages; over 2 s: {r['over_target_cold']} cold, "
            f"{r['over_target_warm']} warm (**{verdict}**).",
            "",
            "Slowest ten, cold:",
            "",
            "| role | page | cold | warm | queries (cold / warm) |",
            "| --- | --- | --- | --- | --- |",
        ]
        for p in r["slowest_cold"]:
            lines.append(
                f"| {p['role']} | `{p['url']}` | {p['cold_ms']:,.0f} ms | {p['warm_ms']:,.0f} ms | "
                f"{p['cold_queries']} / {p['warm_queries']} |"
            )
        lines += [
            "",
            "Slowest ten, warm:",
            "",
            "| role | page | warm | cold |",
            "| --- | --- | --- | --- |",
        ]
        for p in r["slowest_warm"]:
            lines.append(
                f"| {p['role']} | `{p['url']}` | {p['warm_ms']:,.0f} ms | {p['cold_ms']:,.0f} ms |"
            )
        if r["not_200"]:
            lines += ["", "Answered other than 200 or a redirect:", ""]
            lines += [f"- {x['role']} `{x['url']}`: {x['status']}" for x in r["not_200"]]
        lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-route", type=int, default=2)
    parser.add_argument("--limit", type=int, default=600, help="URLs per role at most")
    args = parser.parse_args()
    result = measure(args.per_route, args.limit)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"crawl-{result['enterprises']}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "roles"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
