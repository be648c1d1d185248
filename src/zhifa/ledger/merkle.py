"""RFC 9162 §2.1 Merkle tree hashing, proofs and verification (stdlib only).

This module is the core of the offline verifier that third parties run, so it
must import nothing but the standard library (no Django, nothing else from
``zhifa``).  See ``docs/ledger.md`` §2 for the algorithms and edge-case policy.

Hashing
    ``H`` is SHA-256 (``algo="sha256"``, the default) or SM3 (``algo="sm3"``,
    via ``hashlib.new("sm3")``, which needs an OpenSSL with SM3).  Both produce
    32-byte digests (:data:`HASH_SIZE`).  Leaf hash ``H(0x00 || entry)``,
    interior node hash ``H(0x01 || left || right)``, empty tree ``H(b"")``.

Three layers of API
    1. In-memory lists of entries (the raw leaf bytes):
       :func:`root_hash`, :func:`inclusion_proof`, :func:`consistency_proof`.
       Each call costs O(n) hashing.
    2. Verification: :func:`verify_inclusion`, :func:`verify_consistency`.
       They never raise; any malformed input yields ``False``.
    3. Storage helpers, so a stored log never recomputes the tree per request:
       :class:`CompactRange` (the append frontier of §2.2) and the node-list
       functions (:func:`inclusion_proof_nodes`, :func:`consistency_proof_nodes`,
       :func:`inclusion_proof_from_nodes`, :func:`consistency_proof_from_nodes`,
       :func:`root_hash_from_nodes`, ...).  Together they read O(log n) stored
       hashes per proof.

Node coordinates
    A stored node is named ``(level, index)``.  It is the root of the *perfect*
    subtree over leaves ``[index * 2**level, (index + 1) * 2**level)``.  Level 0
    holds the leaf hashes (``(0, i)`` is the hash of entry ``i``), and
    ``(level + 1, i)`` is ``node_hash((level, 2*i), (level, 2*i + 1))``.  A
    perfect node never changes once all its leaves exist, so a log of ``n``
    entries has exactly the ``2n - popcount(n)`` nodes that
    :meth:`CompactRange.append` reports, and they can be stored write-once.

    A leaf *range* ``(start, end)`` is the half-open interval
    ``[start, end)``.  Each element of an RFC 9162 proof is
    ``MTH(D[start:end])`` for such a range, where ``start`` is a multiple of
    ``2**(bit_length(end - start) - 1)``.  The range is a perfect node when
    ``end - start`` is a power of two.  Otherwise it is an "ephemeral" node on
    the right border of the tree, computed by folding its perfect nodes
    (:func:`range_nodes`) right to left.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence

__all__ = [
    "ALGORITHMS",
    "HASH_SIZE",
    "CompactRange",
    "consistency_proof",
    "consistency_proof_from_nodes",
    "consistency_proof_nodes",
    "consistency_proof_ranges",
    "empty_root",
    "inclusion_proof",
    "inclusion_proof_from_nodes",
    "inclusion_proof_nodes",
    "inclusion_proof_ranges",
    "leaf_hash",
    "node_hash",
    "node_range",
    "range_nodes",
    "root_hash",
    "root_hash_from_nodes",
    "subtree_hash_from_nodes",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
"""Digest length in bytes of every supported algorithm."""

ALGORITHMS = ("sha256", "sm3")
"""Supported values of the ``algo`` argument."""

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

Node = tuple[int, int]
"""``(level, index)``: see the module docstring."""

NodeSource = Mapping[Node, bytes] | Callable[[int, int], bytes]
"""Stored node hashes: a mapping ``{(level, index): hash}`` or a callable
``get(level, index) -> hash``."""

_HASHERS: dict[str, Callable[[bytes], bytes]] = {}


def _make_hasher(algo: str) -> Callable[[bytes], bytes]:
    if algo == "sha256":
        sha256 = hashlib.sha256

        def h_sha256(data: bytes) -> bytes:
            return sha256(data).digest()

        return h_sha256
    # SM3: copying a pre-built object is ~1.7x faster than hashlib.new() per call.
    try:
        template = hashlib.new("sm3")
    except ValueError as exc:  # OpenSSL built without SM3
        raise ValueError("hash algorithm 'sm3' is not available in this Python/OpenSSL") from exc

    def h_sm3(data: bytes) -> bytes:
        obj = template.copy()
        obj.update(data)
        return obj.digest()

    return h_sm3


def _hasher(algo: object) -> Callable[[bytes], bytes]:
    """Return the one-shot digest function for ``algo``; ValueError if unsupported."""
    if isinstance(algo, str):
        fn = _HASHERS.get(algo)
        if fn is not None:
            return fn
        if algo in ALGORITHMS:
            fn = _HASHERS[algo] = _make_hasher(algo)
            return fn
    raise ValueError(f"unsupported hash algorithm {algo!r}; expected one of {ALGORITHMS}")


def _split_point(n: int) -> int:
    """Largest power of two strictly less than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _check_int(name: str, value: object) -> int:
    if not _is_int(value):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value  # type: ignore[return-value]


# --------------------------------------------------------------------------- hashing


def empty_root(algo: str = "sha256") -> bytes:
    """Root of the empty tree, ``H(b"")``."""
    return _hasher(algo)(b"")


def leaf_hash(data: bytes, algo: str = "sha256") -> bytes:
    """Leaf hash ``H(0x00 || data)`` of one entry's raw bytes."""
    return _hasher(algo)(_LEAF_PREFIX + bytes(data))


def node_hash(left: bytes, right: bytes, algo: str = "sha256") -> bytes:
    """Interior node hash ``H(0x01 || left || right)``.

    The lengths of ``left`` and ``right`` are not checked here, so the
    RFC 6962 hasher vectors (``"N123"``, ``"N456"``) can be reproduced.
    """
    return _hasher(algo)(_NODE_PREFIX + bytes(left) + bytes(right))


def _leaf_hashes(leaves: Iterable[bytes], h: Callable[[bytes], bytes]) -> list[bytes]:
    prefix = _LEAF_PREFIX
    return [h(prefix + bytes(d)) for d in leaves]


def _mth(hashes: Sequence[bytes], start: int, end: int, h: Callable[[bytes], bytes]) -> bytes:
    """MTH of the standalone tree whose leaf hashes are ``hashes[start:end]``.

    Pairs up each level and carries an odd last node up unchanged.  This
    matches the RFC split rule ``k = largest power of two < n``.
    """
    if end <= start:
        return h(b"")
    level = list(hashes[start:end])
    prefix = _NODE_PREFIX
    while len(level) > 1:
        n = len(level)
        nxt = [h(prefix + level[i] + level[i + 1]) for i in range(0, n - 1, 2)]
        if n & 1:
            nxt.append(level[-1])
        level = nxt
    return level[0]


# --------------------------------------------------------------------------- in-memory API


def root_hash(leaves: Iterable[bytes], algo: str = "sha256") -> bytes:
    """MTH of the list of entries ``leaves`` (raw bytes).  ``root_hash([]) == H(b"")``."""
    h = _hasher(algo)
    hashes = _leaf_hashes(leaves, h)
    return _mth(hashes, 0, len(hashes), h)


def _as_list(leaves: Iterable[bytes]) -> Sequence[bytes]:
    return leaves if isinstance(leaves, (list, tuple)) else list(leaves)


def inclusion_proof(leaves: Iterable[bytes], index: int, algo: str = "sha256") -> list[bytes]:
    """Audit path ``PATH(index, D[n])`` (RFC 9162 §2.1.3.1) for entry ``index``.

    Requires ``0 <= index < len(leaves)``; otherwise ValueError.  The proof
    runs from the leaf's sibling up to the child of the root.
    """
    h = _hasher(algo)
    leaves = _as_list(leaves)
    index = _check_int("index", index)
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError(
            f"leaf index {index} out of range for tree size {n} (need 0 <= index < size)"
        )
    hashes = _leaf_hashes(leaves, h)
    return [_mth(hashes, s, e, h) for s, e in inclusion_proof_ranges(index, n)]


def consistency_proof(leaves: Iterable[bytes], old_size: int, algo: str = "sha256") -> list[bytes]:
    """Consistency proof ``PROOF(old_size, D[n])`` (RFC 9162 §2.1.4.1).

    It shows that the tree of the first ``old_size`` entries is a prefix of the
    tree of all ``n = len(leaves)`` entries.  Requires ``0 < old_size <= n``;
    otherwise ValueError.  ``old_size == n`` gives ``[]``.  Any tree is
    trivially consistent with the empty tree, so no proof exists for
    ``old_size == 0``.
    """
    h = _hasher(algo)
    leaves = _as_list(leaves)
    old_size = _check_int("old_size", old_size)
    n = len(leaves)
    if not 0 < old_size <= n:
        raise ValueError(
            f"old_size {old_size} out of range for tree size {n} (need 0 < old_size <= size)"
        )
    ranges = consistency_proof_ranges(old_size, n)
    if not ranges:
        return []
    hashes = _leaf_hashes(leaves, h)
    return [_mth(hashes, s, e, h) for s, e in ranges]


# --------------------------------------------------------------------------- verification


def _as_hash(x: object) -> bytes | None:
    if isinstance(x, (bytes, bytearray)) and len(x) == HASH_SIZE:
        return bytes(x)
    return None


def _as_proof(proof: object) -> list[bytes] | None:
    if not isinstance(proof, (list, tuple)):
        return None
    out = []
    for p in proof:
        b = _as_hash(p)
        if b is None:
            return None
        out.append(b)
    return out


def verify_inclusion(
    leaf_hash: bytes,
    index: int,
    size: int,
    proof: Sequence[bytes],
    root: bytes,
    algo: str = "sha256",
) -> bool:
    """True iff ``proof`` shows ``leaf_hash`` is entry ``index`` of the tree (``size``, ``root``).

    This is RFC 9162 §2.1.3.2 in the closed form of ``ledger.md`` §2.3.  It
    never raises: wrong types, bools, negative or out-of-range numbers,
    hashes or proof elements that are not 32-byte ``bytes``/``bytearray``, a
    proof that is not a list/tuple or has the wrong length, and an unknown
    ``algo`` all give ``False``.

    Size binding: a proof for ``(index, size)`` can also verify for another
    size against the same root (e.g. ``PATH(0, D[3])`` at size 4).  Always take
    ``size`` and ``root`` from the same verified checkpoint.
    """
    try:
        return _verify_inclusion(leaf_hash, index, size, proof, root, algo)
    except Exception:  # defensive: the contract is "never raises"
        return False


def _verify_inclusion(
    leaf: object, index: object, size: object, proof: object, root: object, algo: object
) -> bool:
    if not (isinstance(algo, str) and algo in ALGORITHMS):
        return False
    if not (_is_int(index) and _is_int(size)):
        return False
    if not 0 <= index < size:  # type: ignore[operator]
        return False
    seed = _as_hash(leaf)
    want = _as_hash(root)
    path = _as_proof(proof)
    if seed is None or want is None or path is None:
        return False
    got = _root_from_inclusion(seed, index, size, path, _hasher(algo))  # type: ignore[arg-type]
    return got is not None and got == want


def _decomp_inclusion(index: int, size: int) -> tuple[int, int]:
    """(inner, border) proof-length split for ``0 <= index < size`` (``verify.go``)."""
    inner = (index ^ (size - 1)).bit_length()
    border = (index >> inner).bit_count()
    return inner, border


def _root_from_inclusion(
    seed: bytes, index: int, size: int, proof: list[bytes], h: Callable[[bytes], bytes]
) -> bytes | None:
    inner, border = _decomp_inclusion(index, size)
    if len(proof) != inner + border:
        return None
    prefix = _NODE_PREFIX
    r = seed
    for i in range(inner):
        p = proof[i]
        r = h(prefix + p + r) if (index >> i) & 1 else h(prefix + r + p)
    for p in proof[inner:]:
        r = h(prefix + p + r)
    return r


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
    algo: str = "sha256",
) -> bool:
    """True iff ``proof`` shows that the tree (``old_size``, ``old_root``) is a prefix of
    the tree (``new_size``, ``new_root``).

    This is RFC 9162 §2.1.4.2 with the edge-case policy of ``ledger.md`` §2.5:

    * ``old_size == 0`` fails, even when ``new_size == 0``.  Handle the empty
      tree before calling: any tree is trivially consistent with it.
    * ``old_size == new_size`` succeeds iff the proof is empty and the roots
      are byte-equal.
    * ``old_size > new_size``, an empty proof for different sizes, any root or
      proof element that is not 32 bytes, and missing or extra elements fail.

    Roots are always checked to be 32-byte ``bytes``/``bytearray``, including
    when ``old_size == new_size``.  (The transparency-dev verifier would accept
    equal malformed roots there.)  Like :func:`verify_inclusion`, this never
    raises.
    """
    try:
        return _verify_consistency(old_size, new_size, old_root, new_root, proof, algo)
    except Exception:  # defensive: the contract is "never raises"
        return False


def _verify_consistency(
    first: object, second: object, old_root: object, new_root: object, proof: object, algo: object
) -> bool:
    if not (isinstance(algo, str) and algo in ALGORITHMS):
        return False
    if not (_is_int(first) and _is_int(second)):
        return False
    r1 = _as_hash(old_root)
    r2 = _as_hash(new_root)
    path = _as_proof(proof)
    if r1 is None or r2 is None or path is None:
        return False
    if first <= 0 or first > second:  # type: ignore[operator]
        return False
    if first == second:
        return not path and r1 == r2
    if not path:
        return False
    h = _hasher(algo)
    got = _root_from_consistency(first, second, path, r1, h)  # type: ignore[arg-type]
    return got is not None and got == r2


def _root_from_consistency(
    size1: int, size2: int, proof: list[bytes], root1: bytes, h: Callable[[bytes], bytes]
) -> bytes | None:
    """New root implied by a consistency proof for ``0 < size1 < size2``, or None if it fails.

    This is the closed form of transparency-dev ``RootFromConsistencyProof``.
    """
    inner, border = _decomp_inclusion(size1 - 1, size2)
    shift = (size1 & -size1).bit_length() - 1  # trailing zeros of size1
    inner -= shift
    if size1 == 1 << shift:  # old tree is a perfect subtree: its root is the seed
        seed, start = root1, 0
    else:
        seed, start = proof[0], 1
    if len(proof) != start + inner + border:
        return None
    path = proof[start:]
    mask = (size1 - 1) >> shift
    prefix = _NODE_PREFIX

    # Old root: only hashes to the left of the path contribute.
    r1 = seed
    for i in range(inner):
        if (mask >> i) & 1:
            r1 = h(prefix + path[i] + r1)
    for p in path[inner:]:
        r1 = h(prefix + p + r1)
    if r1 != root1:
        return None

    r2 = seed
    for i in range(inner):
        p = path[i]
        r2 = h(prefix + p + r2) if (mask >> i) & 1 else h(prefix + r2 + p)
    for p in path[inner:]:
        r2 = h(prefix + p + r2)
    return r2


# --------------------------------------------------------------------------- node coordinates


def node_range(level: int, index: int) -> tuple[int, int]:
    """Leaf range ``(start, end)`` covered by the perfect node ``(level, index)``."""
    return index << level, (index + 1) << level


def range_nodes(start: int, end: int) -> list[Node]:
    """Decompose leaf range ``[start, end)`` into perfect nodes ``(level, index)``, left to right.

    This is the minimal greedy decomposition (Trillian ``compact.RangeNodes``).
    ``range_nodes(0, size)`` gives the peaks of a tree of ``size`` leaves,
    largest first, one per set bit of ``size``.
    """
    start = _check_int("start", start)
    end = _check_int("end", end)
    if not 0 <= start <= end:
        raise ValueError(f"invalid leaf range [{start}, {end})")
    return _range_nodes(start, end)


def _range_nodes(start: int, end: int) -> list[Node]:
    out: list[Node] = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start:
            tz = (start & -start).bit_length() - 1
            if tz < level:
                level = tz
        out.append((level, start >> level))
        start += 1 << level
    return out


def _check_subtree_range(start: int, end: int) -> None:
    n = end - start
    if start < 0 or n <= 0 or start % (1 << (n.bit_length() - 1)):
        raise ValueError(
            f"leaf range [{start}, {end}) is not an RFC 9162 subtree "
            "(start must be a multiple of the largest power of two <= end - start)"
        )


def inclusion_proof_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges ``(start, end)`` whose MTHs form ``PATH(index, D[size])``, in proof order.

    Requires ``0 <= index < size``.  The proof has ``O(log size)`` elements.
    """
    index = _check_int("index", index)
    size = _check_int("size", size)
    if not 0 <= index < size:
        raise ValueError(
            f"leaf index {index} out of range for tree size {size} (need 0 <= index < size)"
        )
    out: list[tuple[int, int]] = []
    s, e = 0, size
    while e - s > 1:
        k = s + _split_point(e - s)
        if index < k:
            out.append((k, e))
            e = k
        else:
            out.append((s, k))
            s = k
    out.reverse()
    return out


def consistency_proof_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """Leaf ranges ``(start, end)`` whose MTHs form ``PROOF(old_size, D[new_size])``, proof order.

    Requires ``0 < old_size <= new_size``.  ``old_size == new_size`` gives ``[]``.
    """
    old_size = _check_int("old_size", old_size)
    new_size = _check_int("new_size", new_size)
    if not 0 < old_size <= new_size:
        raise ValueError(
            f"old_size {old_size} out of range for tree size {new_size} "
            "(need 0 < old_size <= new_size)"
        )
    out: list[tuple[int, int]] = []
    s, e, whole = 0, new_size, True  # SUBPROOF(old_size - s, D[s:e], whole)
    while True:
        m = old_size - s
        if m == e - s:
            if not whole:
                out.append((s, e))
            break
        k = s + _split_point(e - s)
        if old_size <= k:
            out.append((k, e))
            e = k
        else:
            out.append((s, k))
            s = k
            whole = False
    out.reverse()
    return out


def _flatten_nodes(ranges: list[tuple[int, int]]) -> list[Node]:
    out: list[Node] = []
    for s, e in ranges:
        out.extend(_range_nodes(s, e))
    return out


def inclusion_proof_nodes(index: int, size: int) -> list[Node]:
    """Perfect nodes ``(level, index)`` to fetch for ``PATH(index, D[size])``.

    There are no duplicates and at most about ``2 * log2(size)`` nodes.  Pass the
    fetched hashes to :func:`inclusion_proof_from_nodes`.
    """
    return _flatten_nodes(inclusion_proof_ranges(index, size))


def consistency_proof_nodes(old_size: int, new_size: int) -> list[Node]:
    """Perfect nodes ``(level, index)`` to fetch for ``PROOF(old_size, D[new_size])``.

    Pass the fetched hashes to :func:`consistency_proof_from_nodes`.
    """
    return _flatten_nodes(consistency_proof_ranges(old_size, new_size))


def _getter(nodes: NodeSource) -> Callable[[int, int], bytes]:
    if isinstance(nodes, Mapping):
        mapping = nodes

        def get(level: int, index: int) -> bytes:
            try:
                return mapping[(level, index)]
            except KeyError:
                raise KeyError(f"missing stored node (level={level}, index={index})") from None

        return get
    if callable(nodes):
        return nodes
    raise TypeError("nodes must be a mapping {(level, index): hash} or a callable(level, index)")


def _fold_range(
    start: int, end: int, get: Callable[[int, int], bytes], h: Callable[[bytes], bytes]
) -> bytes:
    n = end - start
    if not n & (n - 1):  # a perfect node: one read, no hashing
        level = n.bit_length() - 1
        return get(level, start >> level)
    peaks = [get(level, idx) for level, idx in _range_nodes(start, end)]
    r = peaks[-1]
    prefix = _NODE_PREFIX
    for p in reversed(peaks[:-1]):
        r = h(prefix + p + r)
    return r


def subtree_hash_from_nodes(start: int, end: int, nodes: NodeSource, algo: str = "sha256") -> bytes:
    """``MTH(D[start:end])`` from stored perfect nodes (``O(log n)`` reads).

    ``start`` must be a multiple of the largest power of two ``<= end - start``,
    as it is for every element of an RFC 9162 proof and for ``start == 0``.
    Otherwise ValueError.
    """
    h = _hasher(algo)
    start = _check_int("start", start)
    end = _check_int("end", end)
    _check_subtree_range(start, end)
    return _fold_range(start, end, _getter(nodes), h)


def root_hash_from_nodes(size: int, nodes: NodeSource, algo: str = "sha256") -> bytes:
    """Root of the tree of the first ``size`` entries from stored perfect nodes (``size >= 0``)."""
    h = _hasher(algo)
    size = _check_int("size", size)
    if size < 0:
        raise ValueError(f"tree size must be >= 0, got {size}")
    if size == 0:
        return h(b"")
    return _fold_range(0, size, _getter(nodes), h)


def inclusion_proof_from_nodes(
    index: int, size: int, nodes: NodeSource, algo: str = "sha256"
) -> list[bytes]:
    """``PATH(index, D[size])`` assembled from stored perfect nodes.

    ``nodes`` must cover :func:`inclusion_proof_nodes(index, size)`; a missing
    node raises KeyError (from a mapping) or whatever the callable raises.
    The result equals ``inclusion_proof(leaves, index)``.
    """
    h = _hasher(algo)
    get = _getter(nodes)
    return [_fold_range(s, e, get, h) for s, e in inclusion_proof_ranges(index, size)]


def consistency_proof_from_nodes(
    old_size: int, new_size: int, nodes: NodeSource, algo: str = "sha256"
) -> list[bytes]:
    """``PROOF(old_size, D[new_size])`` assembled from stored perfect nodes.

    ``nodes`` must cover :func:`consistency_proof_nodes(old_size, new_size)`.
    The result equals ``consistency_proof(leaves[:new_size], old_size)``.
    """
    h = _hasher(algo)
    get = _getter(nodes)
    return [_fold_range(s, e, get, h) for s, e in consistency_proof_ranges(old_size, new_size)]


# --------------------------------------------------------------------------- compact range


class CompactRange:
    """The append frontier of a log (``ledger.md`` §2.2): the peaks of ``[0, size)``.

    ``peaks`` are the hashes of the perfect nodes ``range_nodes(0, size)``,
    left (largest) to right (smallest), one per set bit of ``size``.  This is
    the stack of the §2.2 algorithm.  Persist ``(size, peaks)`` with the log
    state and rebuild with ``CompactRange(algo, size, peaks)`` or
    :meth:`from_nodes`.  Appending is O(1) amortised and never reads old rows.

    >>> cr = CompactRange()
    >>> for e in (b"a", b"b", b"c"):
    ...     _ = cr.append(leaf_hash(e))
    >>> cr.root() == root_hash([b"a", b"b", b"c"])
    True
    """

    __slots__ = ("_algo", "_h", "_peaks", "_size")

    def __init__(self, algo: str = "sha256", size: int = 0, peaks: Iterable[bytes] = ()) -> None:
        self._h = _hasher(algo)
        self._algo = algo
        size = _check_int("size", size)
        if size < 0:
            raise ValueError(f"size must be >= 0, got {size}")
        plist = []
        for p in peaks:
            b = _as_hash(p)
            if b is None:
                raise ValueError(f"every peak must be {HASH_SIZE} bytes")
            plist.append(b)
        if len(plist) != size.bit_count():
            raise ValueError(
                f"a tree of size {size} has {size.bit_count()} peaks, got {len(plist)}"
            )
        self._size = size
        self._peaks = plist

    @classmethod
    def from_nodes(cls, size: int, nodes: NodeSource, algo: str = "sha256") -> CompactRange:
        """Rebuild the frontier at ``size`` from stored perfect nodes (``popcount(size)`` reads)."""
        get = _getter(nodes)
        size = _check_int("size", size)
        if size < 0:
            raise ValueError(f"size must be >= 0, got {size}")
        return cls(algo, size, [get(level, idx) for level, idx in _range_nodes(0, size)])

    @property
    def algo(self) -> str:
        return self._algo

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    @property
    def peaks(self) -> tuple[bytes, ...]:
        """Peak hashes, largest subtree first (positions in :meth:`peak_nodes`)."""
        return tuple(self._peaks)

    def peak_nodes(self) -> list[Node]:
        """``(level, index)`` coordinates of :attr:`peaks` (``range_nodes(0, size)``)."""
        return range_nodes(0, self._size)

    def append(self, leaf_hash: bytes) -> list[tuple[int, int, bytes]]:
        """Append one leaf *hash* and return the perfect nodes this completes.

        The result is ``[(level, index, hash), ...]``, starting with
        ``(0, leaf_index, leaf_hash)`` and going up.  A storage layer that
        saves them all holds every node that the ``*_from_nodes`` functions
        need.
        """
        b = _as_hash(leaf_hash)
        if b is None:
            raise ValueError(f"leaf hash must be {HASH_SIZE} bytes")
        idx = self._size
        peaks = self._peaks
        peaks.append(b)
        created = [(0, idx, b)]
        h = self._h
        prefix = _NODE_PREFIX
        level = 0
        i = idx
        while i & 1:
            right = peaks.pop()
            r = h(prefix + peaks[-1] + right)
            peaks[-1] = r
            i >>= 1
            level += 1
            created.append((level, i, r))
        self._size = idx + 1
        return created

    def append_entry(self, data: bytes) -> list[tuple[int, int, bytes]]:
        """Append the raw entry bytes ``data`` (hashed as a leaf); see :meth:`append`."""
        return self.append(self._h(_LEAF_PREFIX + bytes(data)))

    def extend(self, leaf_hashes: Iterable[bytes]) -> list[tuple[int, int, bytes]]:
        """Append several leaf hashes and return every node they complete, in order."""
        out: list[tuple[int, int, bytes]] = []
        for lh in leaf_hashes:
            out.extend(self.append(lh))
        return out

    def root(self) -> bytes:
        """Current tree root: the peaks folded right to left (``H(b"")`` when empty)."""
        peaks = self._peaks
        if not peaks:
            return self._h(b"")
        h = self._h
        prefix = _NODE_PREFIX
        r = peaks[-1]
        for p in reversed(peaks[:-1]):
            r = h(prefix + p + r)
        return r

    def copy(self) -> CompactRange:
        return CompactRange(self._algo, self._size, self._peaks)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CompactRange):
            return NotImplemented
        return (self._algo, self._size, self._peaks) == (other._algo, other._size, other._peaks)

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"CompactRange(algo={self._algo!r}, size={self._size}, peaks={len(self._peaks)})"
