"""Chinese full-text search: the tokenizer, and the same behaviour tests run
against whichever backend the test database uses (SQLite FTS5 in `make test`,
PostgreSQL tsvector + GIN in CI's second run)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.db import connection
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from zhifa.disclosure import search
from zhifa.disclosure.models import Publication, PublicationStatus, SearchDocument
from zhifa.disclosure.search.backends import PostgresBackend, SqliteBackend
from zhifa.disclosure.search.highlight import highlight, snippet
from zhifa.disclosure.search.tokens import document_tokens, parse_query
from zhifa.orgs.tests.factories import AgencyFactory

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


def _pub(agency, text: str, *, title: str = "行政处罚决定", party: str = "") -> Publication:
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
        kind="penalty",
        title=title,
        decision_number=f"市监〔2026〕{Publication.objects.count() + 1}号",
        decided_on=date(2026, 7, 1),
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
    from zhifa.disclosure.selectors import PublicFilters, publication_list_for_public

    agency = corpus["fine"].agency
    for i in range(25):
        _pub(agency, f"第{i}号 罚款一百元。")
    rows = publication_list_for_public(PublicFilters(q="罚款"))
    assert rows.count() == 26
    assert len(list(rows[20:40])) == 6
    assert publication_list_for_public(PublicFilters(q="罚款", kind="license")).count() == 0


@pytest.mark.django_db
def test_a_wrong_backend_setting_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(ZHIFA_SEARCH_BACKEND="opensearch"), pytest.raises(ImproperlyConfigured):
        search.get_backend()
