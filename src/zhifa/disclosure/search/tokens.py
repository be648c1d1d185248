"""CJK unigram + bigram tokens, the one tokenizer both search backends index
(stack.md §4: SQLite's trigram tokenizer misses 1–2 character queries, and
PostgreSQL has no Chinese parser in Debian; pre-tokenized text in FTS5
unicode61 / tsvector('simple') answers 1-, 2- and n-character queries alike).

A document becomes one token stream: first, in reading order, the bigrams of
every run of Chinese characters (a run of one character gives its unigram) and
the lower-cased ASCII words; then every Chinese character once as a unigram.
A bigram token has two characters and a unigram one, so they never collide,
and consecutive bigrams of a run sit at consecutive positions: a query of n ≥ 2
characters is the phrase of its n-1 bigrams, which matches exactly that
substring (a run boundary inside the phrase is the one imprecision).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# CJK Unified Ideographs, Extension A, Compatibility Ideographs, Extensions B+.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_IS_CJK = re.compile(rf"[{_CJK}]")

# Bounds on what one query may ask, so an enormous query costs nothing.
MAX_QUERY_CHARS = 50
MAX_TERMS = 8


def normalise(text: str) -> str:
    # NFKC folds full-width digits and letters (ＡＢＣ１２３) to ASCII.
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> list[str]:
    return _RUN.findall(normalise(text))


def is_cjk(run: str) -> bool:
    return bool(_IS_CJK.match(run))


def document_tokens(*parts: str) -> str:
    """The token stream of a document made of `parts` (title, party, text …)."""
    stream: list[str] = []
    unigrams: list[str] = []
    for part in parts:
        for run in runs(part):
            if not is_cjk(run) or len(run) == 1:
                stream.append(run)
            else:
                stream.extend(run[i : i + 2] for i in range(len(run) - 1))
                unigrams.extend(run)
    return " ".join(stream + unigrams)


@dataclass(frozen=True)
class Term:
    """One part of a query: a phrase of bigram tokens, one unigram, or an ASCII word."""

    text: str  # as typed (normalised): what is highlighted
    tokens: tuple[str, ...]
    ascii: bool = False


@dataclass(frozen=True)
class Query:
    raw: str
    terms: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        return not self.terms

    @property
    def words(self) -> list[str]:
        return [t.text for t in self.terms]


def parse_query(raw: str) -> Query:
    """Split what the public typed into terms; everything that is neither a
    Chinese character nor an ASCII letter or digit (quotes, operators, SQL or
    FTS syntax) is a separator, so no query can inject syntax."""
    raw = (raw or "").strip()[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    seen: set[str] = set()
    for run in runs(raw):
        if run in seen:
            continue
        seen.add(run)
        if not is_cjk(run):
            terms.append(Term(run, (run,), ascii=True))
        elif len(run) == 1:
            terms.append(Term(run, (run,)))
        else:
            terms.append(Term(run, tuple(run[i : i + 2] for i in range(len(run) - 1))))
        if len(terms) == MAX_TERMS:
            break
    return Query(raw=raw, terms=tuple(terms))
