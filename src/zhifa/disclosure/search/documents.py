"""What the index holds for one publication, and how the portal's filters map
onto it, so that a page of results streams from the index instead of sorting
and counting every hit (docs/adr/0002).

* The document's id (`SearchDocument.id`, which is also the FTS5 rowid) is its
  place in the portal's order: ``decided_on`` as a day number in the high bits,
  the publication's id in the low 40 bits. Descending id order is exactly the
  portal's order, newest decision first (``-decided_on, -id``), and a decision
  date range is a range of ids.
* Facet tokens carry the agency, the kind and every prefix of the region code
  (``φa12``, ``φkpenalty``, ``φr21``, ``φr2105``, ``φr210521``), so the index
  intersects filters with the text instead of checking every hit against the
  publication table. They start with "φ", which neither a document's runs nor a
  query's terms can contain (`tokens.runs` keeps only Chinese characters and
  ASCII letters and digits), so no search can match or prefix-match them.
* Time facets name the aligned blocks of 1, 8, 64 and 512 days that hold the
  decision date (``φd0x739068``, ``φd3x92383`` …). PostgreSQL's GIN index
  cannot return rows in key order, so its backend asks for the newest days
  first, as a handful of these blocks (`day_blocks`), and widens the window
  until a page is full; the rare block tokens let GIN skip through the posting
  lists of common words instead of reading them whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhifa.disclosure.search.tokens import Query, document_tokens

ORDER_SHIFT = 40
ID_MASK = (1 << ORDER_SHIFT) - 1
# date.max.toordinal() < 2**22, so every key fits a signed 64-bit integer.
MAX_KEY = (date.max.toordinal() << ORDER_SHIFT) | ID_MASK

FACET = "φ"


def order_key(decided_on: date, publication_id: int) -> int:
    """The publication's place in the portal's order (its search document id)."""
    if not 0 < publication_id <= ID_MASK:
        raise ValueError(f"publication id {publication_id} does not fit the order key")
    return (decided_on.toordinal() << ORDER_SHIFT) | publication_id


def is_key(value: int) -> bool:
    return (1 << ORDER_SHIFT) <= value <= MAX_KEY


def publication_id_of(key: int) -> int:
    return key & ID_MASK


def decided_on_of(key: int) -> date:
    return date.fromordinal(key >> ORDER_SHIFT)


def day_range(date_from: date | None, date_to: date | None) -> tuple[int | None, int | None]:
    """Inclusive key bounds of the decisions made from `date_from` to `date_to`."""
    low = date_from.toordinal() << ORDER_SHIFT if date_from else None
    high = (date_to.toordinal() << ORDER_SHIFT) | ID_MASK if date_to else None
    return low, high


def agency_facet(agency_id: int) -> str:
    return f"{FACET}a{agency_id}"


def kind_facet(kind: str) -> str:
    return f"{FACET}k{kind}"


def region_facet(prefix: str) -> str:
    return f"{FACET}r{prefix}"


# Sizes of the day blocks, as powers of two: 1, 8, 64 and 512 days.
DAY_LEVELS = (0, 3, 6, 9)


def day_block(level: int, number: int) -> str:
    return f"{FACET}d{level}x{number}"


def day_blocks(first: int, last: int) -> list[str]:
    """The fewest aligned blocks that cover the days `first`..`last` (ordinals)
    exactly, largest first from the newest end."""
    blocks = []
    day = last
    while day >= first:
        for level in reversed(DAY_LEVELS):
            size = 1 << level
            if (day + 1) % size == 0 and day + 1 - size >= first:
                blocks.append(day_block(level, day >> level))
                day -= size
                break
    return blocks


def facet_tokens(*, agency_id: int, kind: str, region_code: str, decided_on: date) -> list[str]:
    regions = [region_facet(region_code[:n]) for n in range(2, len(region_code) + 1)]
    day = decided_on.toordinal()
    days = [day_block(level, day >> level) for level in DAY_LEVELS]
    return [agency_facet(agency_id), kind_facet(kind), *regions, *days]


def index_tokens(
    *,
    agency_id: int,
    kind: str,
    region_code: str,
    decided_on: date,
    title: str,
    party: str,
    agency_name: str,
    decision_number: str,
    text: str,
) -> str:
    """The token stream of a publication: its facets first (so PostgreSQL's
    position cap never touches them), then the text tokens."""
    facets = facet_tokens(
        agency_id=agency_id, kind=kind, region_code=region_code, decided_on=decided_on
    )
    return " ".join([*facets, document_tokens(title, party, agency_name, decision_number, text)])


@dataclass(frozen=True)
class Criteria:
    """One question to the index: all the query's terms and all the facets,
    within an inclusive range of order keys, newest first."""

    query: Query
    facets: tuple[str, ...] = ()
    key_min: int | None = None
    key_max: int | None = None

    @property
    def matches_text(self) -> bool:
        """True when the full-text index must be asked (terms or facets)."""
        return not self.query.empty or bool(self.facets)

    @property
    def impossible(self) -> bool:
        return self.key_min is not None and self.key_max is not None and self.key_min > self.key_max
