"""Chinese full-text search: the tokenizer, and the same behaviour tests run
against whichever backend the test database uses (SQLite FTS5 in `make test`,
PostgreSQL tsvector + GIN in CI's second run)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest
from django.db import connection
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from zhifa.disclosure import search
from zhifa.disclosure.models import Publication, PublicationStatus, SearchDocument
from zhifa.disclosure.search.backends import PostgresBackend, SqliteBackend
from zhifa.disclosure.search.documents import (
    DAY_LEVELS,
    FACET,
    ID_MASK,
    MAX_KEY,
    agency_facet,
    day_blocks,
    day_range,
    decided_on_of,
    is_key,
    kind_facet,
    order_key,
    publication_id_of,
)
from zhifa.disclosure.search.highlight import highlight, snippet
from zhifa.disclosure.search.tokens import document_tokens, parse_query
from zhifa.disclosure.selectors import PublicFilters, _region_prefix, parse_filters
from zhifa.orgs.tests.factories import AgencyFactory, RegionFactory, region_tree

# --------------------------------------------------------------------------
# Tokens (no database)


def test_document_tokens_are_bigrams_in_order_then_unigrams():
    assert document_tokens("处罚决定") == "处罚 罚决 决定 处 罚 决 定"
    assert document_tokens("罚款５０００元") == "罚款 5000 元 罚 款"
    assert document_tokens("ABC食品店") == "abc 食品 品店 食 品 店"


def test_query_terms_drop_every_syntax_character():
    q = parse_query('"罚款" OR 1=1; -- NEAR(食品店)* \\ \'')
    assert [t.text for t in q.terms] == ["罚款", "or", "1", "near", "食品店"]
    assert q.terms[-1].tokens == ("食品", "品店")
    assert parse_query("　；、").empty
    assert len(parse_query("罚" * 10000).raw) == 50


@given(st.text(max_size=200))
def test_any_query_yields_only_safe_tokens(text):
    for term in parse_query(text).terms:
        for token in term.tokens:
            assert token and not any(ch in "\"'*():^-+\\ &|!<>{}[],;.=%" for ch in token)
    SqliteBackend.expression(parse_query(text))
    PostgresBackend.expression(parse_query(text))


def test_highlight_escapes_html_and_marks_terms():
    q = parse_query("罚款 abc")
    assert (
        str(highlight("<b>罚款</b> ABC", q))
        == "&lt;b&gt;<mark>罚款</mark>&lt;/b&gt; <mark>ABC</mark>"
    )
    text = "甲" * 200 + "罚款" + "乙" * 200
    piece = str(snippet(text, q, width=10))
    assert piece.startswith("…") and piece.endswith("…") and "<mark>罚款</mark>" in piece


# --------------------------------------------------------------------------
# Backends (the database in use)

pytestmark_db = pytest.mark.django_db


def _pub(
    agency,
    text: str,
    *,
    title: str = "行政处罚决定",
    party: str = "",
    decided_on: date = date(2026, 7, 1),
    kind: str = "penalty",
) -> Publication:
    pub = Publication.objects.create(
        agency=agency,
        agency_name=agency.name,
        region_code=agency.region.code,
        region_name=agency.region.name,
        case_id=1,
        case_number=f"案{uuid.uuid4().hex[:8]}",
        document_id=Publication.objects.count() + 1,
        document_type="penalty_decision",
        source_sha256="0" * 64,
        kind=kind,
        title=title,
        decision_number=f"市监〔2026〕{Publication.objects.count() + 1}号",
        decided_on=decided_on,
        party_display=party,
        due_rule="disclosure.penalty",
        status=PublicationStatus.PUBLISHED,
        text=text,
        text_sha256="1" * 64,
    )
    search.index(pub)
    return pub


@pytest.fixture
def corpus(db):
    agency = AgencyFactory()
    return {
        "fine": _pub(agency, "责令改正，并处罚款五千元。", party="本溪县某食品店"),
        "split": _pub(agency, "食品安全检查发现，药品店未按规定储存。"),
        "warning": _pub(agency, "给予警告。当事人：ABC贸易有限公司", title="未按规定公示信息"),
        "licence": _pub(agency, "准予行政许可，核发食品经营许可证。", title="食品经营许可"),
    }


def found(q: str) -> set[str]:
    return {p.text for p in search.search(Publication.objects.public(), q)}


def names(corpus, q: str) -> set[str]:
    texts = found(q)
    return {k for k, p in corpus.items() if p.text in texts}


@pytest.mark.django_db
def test_backend_follows_the_database_vendor():
    assert search.get_backend().name == connection.vendor


@pytest.mark.django_db
def test_one_character_query(corpus):
    assert names(corpus, "款") == {"fine"}
    assert names(corpus, "罚") == {"fine", "split"}  # the title 行政处罚决定


@pytest.mark.django_db
def test_two_character_queries(corpus):
    assert names(corpus, "罚款") == {"fine"}
    assert names(corpus, "食品") == {"fine", "split", "licence"}  # party name counts too
    assert names(corpus, "警告") == {"warning"}


@pytest.mark.django_db
def test_longer_queries_match_the_substring_not_scattered_bigrams(corpus):
    assert names(corpus, "食品店") == {"fine"}  # "split" has 食品 and 品店 apart
    assert names(corpus, "食品经营许可证") == {"licence"}
    assert names(corpus, "并处罚款五千元") == {"fine"}


@pytest.mark.django_db
def test_ascii_words_match_by_prefix_case_insensitively(corpus):
    assert names(corpus, "abc") == {"warning"}
    assert names(corpus, "ＡＢ") == {"warning"}


@pytest.mark.django_db
def test_terms_are_anded(corpus):
    assert names(corpus, "食品 许可") == {"licence"}
    assert names(corpus, "罚款 许可") == set()


@pytest.mark.django_db
def test_title_and_decision_number_are_searched(corpus):
    assert names(corpus, "公示信息") == {"warning"}
    number = corpus["licence"].decision_number
    assert "licence" in names(corpus, number)


@pytest.mark.django_db
@pytest.mark.parametrize("q", ['"', "NEAR", '罚款" OR "', "*", "'; DROP TABLE x; --", "(", ":"])
def test_syntax_characters_never_reach_the_engine(corpus, q):
    found(q)  # no error


@pytest.mark.django_db
def test_unindexed_publications_disappear_from_search(corpus):
    search.unindex(corpus["fine"])
    assert names(corpus, "罚款") == set()
    search.index(corpus["fine"])
    search.index(corpus["fine"])  # reindexing replaces, never duplicates
    assert names(corpus, "罚款") == {"fine"}
    assert SearchDocument.objects.filter(publication=corpus["fine"]).count() == 1


@pytest.mark.django_db
def test_search_combines_with_filters_and_paginates(corpus):
    from zhifa.disclosure.selectors import PublicFilters, PublicResults

    agency = corpus["fine"].agency
    for i in range(25):
        _pub(agency, f"第{i}号 罚款一百元。")
    rows = PublicResults(PublicFilters(q="罚款"))
    assert rows.count() == 26
    assert len(list(rows[20:40])) == 6
    assert PublicResults(PublicFilters(q="罚款", kind="license")).count() == 0


@pytest.mark.django_db
def test_a_wrong_backend_setting_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(ZHIFA_SEARCH_BACKEND="opensearch"), pytest.raises(ImproperlyConfigured):
        search.get_backend()


# --------------------------------------------------------------------------
# The portal's list from the index: order keys, facets, capped count, paging


def test_order_keys_sort_like_the_portal_newest_decision_first():
    rows = [
        (date(2026, 7, 1), 5),
        (date(2026, 7, 1), 9),
        (date(2025, 12, 31), 99),
        (date(1, 1, 1), 1),
    ]
    keys = {order_key(day, pk): (day, pk) for day, pk in rows}
    ordered = [keys[k] for k in sorted(keys, reverse=True)]
    assert ordered == sorted(rows, key=lambda r: (r[0], r[1]), reverse=True)
    for day, pk in rows:
        key = order_key(day, pk)
        assert is_key(key) and decided_on_of(key) == day and publication_id_of(key) == pk
    low, high = day_range(date(2026, 7, 1), date(2026, 7, 1))
    assert low <= order_key(date(2026, 7, 1), ID_MASK) <= high
    assert not low <= order_key(date(2026, 6, 30), ID_MASK) <= high
    assert order_key(date.max, ID_MASK) == MAX_KEY < 2**63
    with pytest.raises(ValueError):
        order_key(date(2026, 7, 1), ID_MASK + 1)


@given(st.text(max_size=60))
def test_no_query_can_reach_a_facet_token(text):
    query = parse_query(text)
    assert FACET not in SqliteBackend.expression(query)
    assert FACET not in PostgresBackend.expression(query)
    assert FACET not in document_tokens(text)


def test_filters_parse_the_continuation_key_strictly():
    key = order_key(date(2026, 7, 1), 12)
    assert parse_filters({"before": str(key)}).before == key
    for bad in ["", "abc", "-5", "12", "１２３", "²", "9" * 5000, str(MAX_KEY + 1)]:
        assert parse_filters({"before": bad}).before is None


def test_region_filter_prefixes_follow_the_code_levels():
    assert _region_prefix("210000") == "21"
    assert _region_prefix("210500") == "2105"
    assert _region_prefix("210521") == "210521"
    assert _region_prefix("210521100") == "210521100"  # a township stands for itself


@pytest.fixture
def portal(db):
    """Publications of two agencies in two counties and one city elsewhere,
    on a few decision dates (several on the same day), of every kind."""
    _, _, county, other_county, shenyang = region_tree()
    heping = RegionFactory(code="210102", name="和平区", parent=shenyang)
    agencies = [
        AgencyFactory(region=county),
        AgencyFactory(region=other_county),
        AgencyFactory(region=heping),
    ]
    days = [date(2026, 7, 1), date(2026, 6, 30), date(2025, 12, 31), date(2024, 2, 29)]
    texts = ["并处罚款五千元。", "给予警告。", "准予行政许可，核发食品经营许可证。"]
    kinds = ["penalty", "penalty", "license", "other"]
    pubs = []
    for i in range(24):
        pub = _pub(
            agencies[i % 3],
            texts[i % 3] + f"第{i}件，食品安全。",
            decided_on=days[(i * 7) % 4],
            kind=kinds[i % 4],
        )
        pubs.append(pub)
    return {"agencies": agencies, "pubs": pubs}


def _walk(filters, *, cap=None, size=4):
    """Every row the portal shows for `filters`: the numbered pages, then the
    "earlier results" link, and so on; with the count shown on each window."""
    from django.core.paginator import Paginator

    from zhifa.disclosure.selectors import PublicResults

    rows, counts = [], []
    while True:
        found = PublicResults(filters, cap=cap)
        paginator = Paginator(found, size)
        counts.append((found.count(), found.capped))
        for number in paginator.page_range:
            rows.extend(paginator.page(number).object_list)
        last = paginator.page(paginator.num_pages)
        before = found.before_key_after(last)
        if before is None:
            return rows, counts
        filters = replace(filters, before=before)


def _filter_cases(portal):
    agency = str(portal["agencies"][0].public_id)
    return [
        PublicFilters(),
        PublicFilters(q="食品"),
        PublicFilters(q="罚款"),
        PublicFilters(q="食品经营许可证"),
        PublicFilters(q="食品", agency=agency),
        PublicFilters(agency=agency, kind="penalty"),
        PublicFilters(kind="license"),
        PublicFilters(region="210500"),  # the city: both counties
        PublicFilters(region="210000"),  # the province: everything
        PublicFilters(region="210522", q="警告"),
        PublicFilters(region="110000"),
        PublicFilters(date_from=date(2025, 12, 31)),
        PublicFilters(date_to=date(2025, 12, 31), q="食品"),
        PublicFilters(date_from=date(2026, 6, 30), date_to=date(2026, 6, 30), kind="penalty"),
        PublicFilters(date_from=date(2026, 7, 2), date_to=date(2026, 6, 1)),
        PublicFilters(agency=str(uuid.uuid4())),
        PublicFilters(agency="not-a-uuid"),
        PublicFilters(q="无此词语"),
    ]


# PostgreSQL asks GIN window by window; a first window of one document makes
# these small corpora take every path (several windows, the unordered pass).
first_windows = pytest.mark.parametrize("first_window", [2000, 1])


@pytest.mark.django_db
@first_windows
def test_portal_results_match_the_queryset_row_for_row_in_the_same_order(
    portal, monkeypatch, first_window
):
    from zhifa.disclosure.search import backends
    from zhifa.disclosure.selectors import PublicResults
    from zhifa.disclosure.tests.reference import publications_by_query

    monkeypatch.setattr(backends, "FIRST_WINDOW", first_window)

    for filters in _filter_cases(portal):
        expected = list(publications_by_query(filters))
        found = PublicResults(filters)
        assert found.count() == len(expected) and not found.capped, filters
        assert list(found[0:100]) == expected, filters
        assert list(found[3:7]) == expected[3:7], filters


@pytest.mark.django_db
@first_windows
def test_count_is_exact_up_to_the_cap_and_paging_then_continues_after_it(
    portal, monkeypatch, first_window
):
    from zhifa.disclosure.search import backends
    from zhifa.disclosure.tests.reference import publications_by_query

    monkeypatch.setattr(backends, "FIRST_WINDOW", first_window)

    for filters in _filter_cases(portal):
        expected = list(publications_by_query(filters))
        rows, counts = _walk(filters, cap=5, size=2)
        # Every hit exactly once, newest decision first, across the windows.
        assert rows == expected, filters
        # Each window counts exactly up to the cap, then says "more".
        left = len(expected)
        for shown, capped in counts:
            assert (shown, capped) == (min(left, 5), left > 5), filters
            left -= shown


@pytest.mark.django_db
def test_a_withdrawn_publication_leaves_the_list_and_the_count(portal):
    from zhifa.disclosure.selectors import PublicResults

    pub = portal["pubs"][0]
    before = PublicResults(PublicFilters(q="罚款")).count()
    search.unindex(pub)
    Publication.objects.filter(pk=pub.pk).update(
        status=PublicationStatus.WITHDRAWN, withdrawal_reason="原决定已被撤销。"
    )
    found = PublicResults(PublicFilters(q="罚款"))
    assert found.count() == before - 1 and pub not in found[0:100]


@pytest.mark.django_db
def test_an_index_row_without_a_public_publication_is_never_shown(portal):
    from zhifa.disclosure.selectors import PublicResults

    pub = portal["pubs"][0]
    Publication.objects.filter(pk=pub.pk).update(status=PublicationStatus.EXPIRED)
    assert pub.pk not in {p.pk for p in PublicResults(PublicFilters())[0:100]}


@pytest.mark.django_db
def test_the_document_id_is_the_order_key_and_follows_the_decision_date(portal):
    pub = portal["pubs"][0]
    doc = SearchDocument.objects.get(publication=pub)
    assert doc.pk == order_key(pub.decided_on, pub.pk)
    assert doc.tokens.split()[:2] == [agency_facet(pub.agency_id), kind_facet(pub.kind)]
    pub.decided_on = date(2020, 1, 2)
    search.index(pub)
    doc = SearchDocument.objects.get(publication=pub)
    assert doc.pk == order_key(date(2020, 1, 2), pub.pk)
    assert pub in set(search.search(Publication.objects.public(), "罚款"))


@pytest.mark.django_db
def test_facets_are_invisible_to_searches_for_letters_and_digits(portal):
    for q in ["a", "k", "r", "r21", "penalty", "kpenalty", "2105", "210521"]:
        assert not found(q), q


@pytest.mark.django_db
def test_migration_rebuilds_documents_keyed_the_old_way(portal):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    rebuild = importlib.import_module(
        "zhifa.disclosure.migrations.0003_search_document_order_keys"
    ).rebuild
    pub = portal["pubs"][0]
    # The shape before: an autoincrement id and the text tokens only.
    SearchDocument.objects.filter(publication=pub).delete()
    SearchDocument.objects.create(id=7, publication=pub, tokens=document_tokens(pub.text))
    withdrawn = portal["pubs"][1]
    Publication.objects.filter(pk=withdrawn.pk).update(
        status=PublicationStatus.WITHDRAWN, withdrawal_reason="原决定已被撤销。"
    )

    rebuild(apps, SimpleNamespace(connection=connection))

    assert SearchDocument.objects.get(publication=pub).pk == order_key(pub.decided_on, pub.pk)
    assert not SearchDocument.objects.filter(publication=withdrawn).exists()
    assert SearchDocument.objects.count() == Publication.objects.public().count()
    agency = str(pub.agency.public_id)
    assert pub in _walk(PublicFilters(q="罚款", agency=agency))[0]


@pytest.mark.django_db
def test_results_page_caps_the_count_and_pages_on_to_earlier_results(client, monkeypatch):
    import html
    import re

    from django.urls import reverse

    from zhifa.disclosure import selectors, views_public

    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(views_public, "PAGE_SIZE", 2)
    agency = AgencyFactory()
    pubs = [
        _pub(
            agency, f"第{i}号，罚款一百元。", title=f"处罚决定{i}", decided_on=date(2026, 7, 10 - i)
        )
        for i in range(5)
    ]  # pubs[0] is the newest
    url = reverse("disclosure:results")

    first = client.get(url, {"q": "罚款"})
    page = first.content.decode()
    assert "共 3 条以上，可翻阅最新的 3 条" in page and "第 1 / 2 页" in page
    assert "处罚决定0" in page and "处罚决定1" in page and "处罚决定2" not in page
    assert 'rel="next"' in page and "更早的结果</a>" not in page
    assert "public" in first["Cache-Control"] and first["ETag"]
    assert client.get(url, {"q": "罚款"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    last = client.get(url, {"q": "罚款", "page": 2}).content.decode()
    assert "第 2 / 2 页" in last and "处罚决定2" in last
    link = html.unescape(re.search(r'<a href="\?([^"]*)">更早的结果</a>', last).group(1))
    assert f"before={order_key(pubs[2].decided_on, pubs[2].pk)}" in link and "page=" not in link

    earlier = client.get(f"{url}?{link}").content.decode()
    assert "以下是更早的结果" in earlier and "共 2 条，" in earlier
    assert "处罚决定3" in earlier and "处罚决定4" in earlier and "处罚决定2" not in earlier
    back = html.unescape(re.search(r'<a href="\?([^"]*)">回到最新的结果</a>', earlier).group(1))
    assert back == "q=%E7%BD%9A%E6%AC%BE"


@pytest.mark.django_db
def test_results_page_out_of_range_or_malformed_page_numbers_still_answer(client):
    from django.urls import reverse

    agency = AgencyFactory()
    _pub(agency, "罚款一百元。", title="唯一的处罚决定")
    url = reverse("disclosure:results")
    for number in ["0", "-1", "999", "x", "1" * 400]:
        response = client.get(url, {"q": "罚款", "page": number})
        assert response.status_code == 200 and "唯一的处罚决定" in response.content.decode()
    assert "共 1 条，" in client.get(url, {"q": "罚款", "before": "garbage"}).content.decode()


@pytest.mark.django_db
def test_filter_lists_offer_only_agencies_and_regions_with_something_public(portal):
    from zhifa.disclosure.selectors import agencies_for_filter, regions_for_filter

    quiet = AgencyFactory(region=RegionFactory(code="210503", name="溪湖区"))
    _pub(quiet, "罚款一百元。")
    Publication.objects.filter(agency=quiet).update(status=PublicationStatus.EXPIRED)
    assert set(agencies_for_filter()) == set(portal["agencies"])
    assert regions_for_filter() == [
        ("210102", "和平区"),
        ("210521", "本溪满族自治县"),
        ("210522", "桓仁满族自治县"),
    ]


@given(st.integers(1, 800_000), st.integers(0, 3000))
def test_day_blocks_cover_a_range_of_days_exactly_once(first, length):
    last = first + length
    covered = []
    for block in day_blocks(first, last):
        level, number = map(int, block.removeprefix(f"{FACET}d").split("x"))
        covered.extend(range(number << level, (number + 1) << level))
    assert sorted(covered) == list(range(first, last + 1))
    assert len(day_blocks(first, last)) <= 2 * 7 * len(DAY_LEVELS) + length // 512


@pytest.mark.django_db
def test_open_api_list_caps_the_count_and_links_to_earlier_results(client, monkeypatch):
    from zhifa.disclosure import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    agency = AgencyFactory()
    for i in range(5):
        _pub(
            agency, f"第{i}号，罚款一百元。", title=f"处罚决定{i}", decided_on=date(2026, 7, 10 - i)
        )
    url = "/open/api/v1/publications/"

    first = client.get(url, {"q": "罚款", "page_size": 2}).json()
    assert first["count"] == 3 and first["count_capped"] is True and first["earlier"] is None
    assert [row["title"] for row in first["results"]] == ["处罚决定0", "处罚决定1"]

    last = client.get(first["next"]).json()
    assert [row["title"] for row in last["results"]] == ["处罚决定2"]
    assert "before=" in last["earlier"] and "page=" not in last["earlier"]
    earlier = client.get(last["earlier"]).json()
    assert earlier["count"] == 2 and earlier["count_capped"] is False
    assert [row["title"] for row in earlier["results"]] == ["处罚决定3", "处罚决定4"]


@pytest.mark.django_db
@first_windows
def test_downloads_come_in_parts_that_continue_where_the_last_ended(
    portal, client, monkeypatch, first_window
):
    # Open data reads the index like the portal (no sort of every hit): at
    # most EXPORT_LIMIT rows a download, then `earlier` (JSON) or a Link
    # header (CSV) continues after the last row. Five a part, fetched two at a time.
    import csv
    import io
    import json

    from zhifa.disclosure import selectors, views_public
    from zhifa.disclosure.search import backends
    from zhifa.disclosure.tests.reference import publications_by_query

    monkeypatch.setattr(backends, "FIRST_WINDOW", first_window)
    monkeypatch.setattr(views_public, "EXPORT_LIMIT", 5)
    monkeypatch.setattr(selectors, "EXPORT_BATCH", 2)

    for params in ({}, {"q": "食品"}, {"q": "罚款", "region": "210500"}, {"kind": "license"}):
        expected = [str(p.series) for p in publications_by_query(selectors.parse_filters(params))]
        ids, url, parts = [], "/results/download.json", 0
        query = params | {"include": "published"}
        while url:
            data = json.loads(client.get(url, query).content)
            ids += [row["id"] for row in data["results"]]
            assert data["count"] == len(data["results"]) <= 5
            url, query, parts = data["earlier"], {}, parts + 1
        assert ids == expected, params
        assert parts == max(1, -(-len(expected) // 5))  # a full last part ends the walk

        response = client.get("/results/download.csv", params | {"include": "published"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body)))[1:]
        assert [r[0] for r in rows] == expected[:5]
        assert response.has_header("Link") == (len(expected) > 5)
