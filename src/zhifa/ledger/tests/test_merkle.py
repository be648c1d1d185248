"""Tests for zhifa.ledger.merkle (RFC 9162 §2.1).  No database, no Django.

These follow the testing approach of docs/ledger.md §2.9: the §2.8 known-answer
vectors, a reference implementation written straight from the RFC definitions,
an exhaustive cross-check of the optimised code against it, property tests that
mutate proofs, and fuzzing of the verifiers with garbage input.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.ledger import merkle
from zhifa.ledger.merkle import (
    CompactRange,
    consistency_proof,
    consistency_proof_from_nodes,
    consistency_proof_nodes,
    consistency_proof_ranges,
    empty_root,
    inclusion_proof,
    inclusion_proof_from_nodes,
    inclusion_proof_nodes,
    inclusion_proof_ranges,
    leaf_hash,
    node_hash,
    node_range,
    range_nodes,
    root_hash,
    root_hash_from_nodes,
    subtree_hash_from_nodes,
    verify_consistency,
    verify_inclusion,
)

ALGOS = ("sha256", "sm3")
HYP = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------- §2.8 vectors

# (b) The 8-leaf CT test tree.
LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]

ROOTS = {
    "sha256": [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ],
    "sm3": [
        "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b",
        "2daef60e7a0b8f5e024c81cd2ab3109f2b4f155cf83adeb2ae5532f74a157fdf",
        "0b990fe0c7ad70f1bf1a1262f2c7908ea48146b14253a6db99f2917ab1f5cc4d",
        "209ec96a210d662a964772680e8544d18cab7b88ffec3e00962220349b56ea56",
        "28e4e307ef6d2d0c62d84b11ef96e835efe490f35b93c8f024ecfe38c8dd4377",
        "bb10c996aeebbcdc69be3715fc847344de77442d37a5ab8213da9f41785b103b",
        "8723c1ab1f82ddfba4a3733ac0c80d936d9f4c208c7dbc8cc81ca9fff8584f66",
        "bd36c22a1ac6ff4308e0c3cc1a85bf0ffa30538ec60a55c70413ab15d45db4d2",
        "bc48ba7a709184b5f2a631e1adeb8dc2a0d4c018c1d6cc89b5664fe154c93b38",
    ],
}

# (a) RFC 6962 hasher vectors, plus the SM3 equivalents from (b).
HASHER_VECTORS = {
    "sha256": {
        "empty": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "leaf_empty": "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "leaf_L123456": "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56",
        "node_N123_N456": "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb",
    },
    "sm3": {
        "empty": "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b",
        "leaf_empty": "2daef60e7a0b8f5e024c81cd2ab3109f2b4f155cf83adeb2ae5532f74a157fdf",
        "leaf_L123456": "b62d3c1e4d175631cb0e267ac43f4fe7d45ab328085a0a0841a5dd99d72665be",
        "node_N123_N456": "ceaddc3c5fbab603a1aa11181127a75c34acfd1a0bcd1ac67e3fa9ed55a5d5b6",
    },
}

# SM3 leaf hashes of the 8 inputs, as abbreviated in (b).
SM3_LEAF_HASHES = [
    "2daef60e…157fdf",
    "af83a966…160335",
    "c93540f0…cce396",
    "796e7bd7…06ee6a",
    "a798bfdb…1aac64",
    "bdef7645…c4ea80",
    "0ce03220…6c0f4b",
    "23b277dd…60709e",
]

# (c) and (e): inclusion proofs on the 8-leaf tree: (index, size, leaf hash or None, proof).
INCLUSION_VECTORS = {
    "sha256": [
        (
            0,
            8,
            None,
            [
                "96a296d2…0a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            8,
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            3,
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
        ),
        (1, 5, "96a296d2…", ["6e340b9c…afa01d", "5f083f0a…de3031e", "bc1a0643…599e6b"]),
        (0, 1, "6e340b9c…afa01d", []),
    ],
    "sm3": [
        (
            0,
            8,
            None,
            [
                "af83a966222057ac761246a7543c580d9111014f4e5e3cb1281db33151160335",
                "2489bde054a243baddcdf4fca1bae37cc910a6d9d85fdb9e1a826d7fc114f9a8",
                "2064aa35c6f2961ab1667c4418188b13a7b2510104f71febbb67f19419cf8168",
            ],
        ),
        (
            5,
            8,
            None,
            [
                "a798bfdb4164a6c7b41a6faecc5c3155cf04d38929dcbd4fe21dea29071aac64",
                "155f6ed4ccfa83510c9416c99b48f41aa5b12e443546bee1b501a7b281e5132a",
                "28e4e307ef6d2d0c62d84b11ef96e835efe490f35b93c8f024ecfe38c8dd4377",
            ],
        ),
        (2, 3, None, ["0b990fe0c7ad70f1bf1a1262f2c7908ea48146b14253a6db99f2917ab1f5cc4d"]),
        (
            1,
            5,
            None,
            [
                "2daef60e7a0b8f5e024c81cd2ab3109f2b4f155cf83adeb2ae5532f74a157fdf",
                "2489bde0…14f9a8",
                "a798bfdb…1aac64",
            ],
        ),
    ],
}

# (d) and (e): consistency proofs: (old size, new size, proof).
CONSISTENCY_VECTORS = {
    "sha256": [
        (1, 8, ["96a296d2…09cfc7", "5f083f0a…de3031e", "6b47aaf2…9bf6e4"]),
        (
            6,
            8,
            [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea1…5a0ae0",
                "d37ee418…9614b7",
            ],
        ),
        (2, 5, ["5f083f0a…de3031e", "bc1a0643…599e6b"]),
        (
            6,
            7,
            [
                "0ebc5d34…58ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418…9614b7",
            ],
        ),
    ],
    "sm3": [
        # "CONS 1→8: same three hashes as INCL idx 0, size 8."
        (
            1,
            8,
            [
                "af83a966222057ac761246a7543c580d9111014f4e5e3cb1281db33151160335",
                "2489bde054a243baddcdf4fca1bae37cc910a6d9d85fdb9e1a826d7fc114f9a8",
                "2064aa35c6f2961ab1667c4418188b13a7b2510104f71febbb67f19419cf8168",
            ],
        ),
        (
            6,
            8,
            [
                "6f5566cd4dfab1605e73be3ce132f38de996be0094142731e1eb2ab2e001daca",
                "155f6ed4…e5132a",
                "28e4e307…dd4377",
            ],
        ),
        (2, 5, ["2489bde0…14f9a8", "a798bfdb…1aac64"]),
        (
            6,
            7,
            [
                "6f5566cd…01daca",
                "0ce032204aaf0d2493c226ac2199c3ea4a51c8ce383f485836943605076c0f4b",
                "28e4e307…dd4377",
            ],
        ),
    ],
}

# The full SHA-256 value of the first element of (c) idx 0 is given separately in the doc.
FULL_EXTRA = {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"}


def _full_values() -> set[str]:
    """Every full-length hex value that appears in the vectors above."""
    out = set(FULL_EXTRA)
    for algo in ALGOS:
        out.update(ROOTS[algo])
        out.update(HASHER_VECTORS[algo].values())
        for _i, _n, leaf, proof in INCLUSION_VECTORS[algo]:
            out.update(x for x in [leaf, *proof] if x and "…" not in x)
        for _m, _n, proof in CONSISTENCY_VECTORS[algo]:
            out.update(x for x in proof if "…" not in x)
    return out


FULL_VALUES = _full_values()


def expect_hex(actual: bytes, spec: str) -> None:
    """Compare ``actual`` with a doc value that may be abbreviated as ``prefix…suffix``.

    An abbreviated value is compared by prefix and suffix.  When it resolves to
    exactly one full value given elsewhere in the doc, it is compared with that
    value as well.
    """
    got = actual.hex()
    assert len(actual) == 32
    if "…" not in spec:
        assert got == spec
        return
    prefix, suffix = spec.split("…")
    assert got.startswith(prefix), (got, spec)
    assert got.endswith(suffix), (got, spec)
    full = [v for v in FULL_VALUES if v.startswith(prefix) and v.endswith(suffix)]
    assert len(full) <= 1
    if full:
        assert got == full[0]


# --------------------------------------------------------------------------- reference impl
# Written straight from the RFC 9162 §2.1 definitions (docs/ledger.md §2.1, 2.3, 2.4).
# It is deliberately naive and shares no code with zhifa.ledger.merkle.


def ref_H(algo: str):
    return lambda data: hashlib.new(algo, data).digest()


def ref_k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(D: list[bytes], H) -> bytes:
    n = len(D)
    if n == 0:
        return H(b"")
    if n == 1:
        return H(b"\x00" + D[0])
    k = ref_k(n)
    return H(b"\x01" + ref_mth(D[:k], H) + ref_mth(D[k:], H))


def ref_path(m: int, D: list[bytes], H) -> list[bytes]:
    n = len(D)
    if n == 1:
        assert m == 0
        return []
    k = ref_k(n)
    if m < k:
        return [*ref_path(m, D[:k], H), ref_mth(D[k:], H)]
    return [*ref_path(m - k, D[k:], H), ref_mth(D[:k], H)]


def ref_subproof(m: int, D: list[bytes], b: bool, H) -> list[bytes]:
    n = len(D)
    if m == n:
        return [] if b else [ref_mth(D, H)]
    k = ref_k(n)
    if m <= k:
        return [*ref_subproof(m, D[:k], b, H), ref_mth(D[k:], H)]
    return [*ref_subproof(m - k, D[k:], False, H), ref_mth(D[:k], H)]


def ref_proof(m: int, D: list[bytes], H) -> list[bytes]:
    return ref_subproof(m, D, True, H)


def ref_verify_inclusion(leaf_index, tree_size, leaf, path, root, H) -> bool:
    """RFC 9162 §2.1.3.2, iterative form."""
    if leaf_index >= tree_size:
        return False
    fn, sn, r = leaf_index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = H(b"\x01" + p + r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = H(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def ref_verify_consistency(first, second, first_hash, second_hash, path, H) -> bool:
    """RFC 9162 §2.1.4.2, iterative form, with the §2.5 first == 0 policy."""
    if first == 0:
        return False
    if first == second:
        return path == [] and first_hash == second_hash
    if first > second or path == []:
        return False
    if first & (first - 1) == 0:
        path = [first_hash, *path]
    fn, sn = first - 1, second - 1
    if fn & 1:
        while fn & 1:
            fn >>= 1
            sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = H(b"\x01" + c + fr)
            sr = H(b"\x01" + c + sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = H(b"\x01" + sr + c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0


def make_leaves(n: int, tag: bytes = b"") -> list[bytes]:
    return [tag + b"entry-%d" % i for i in range(n)]


def store_nodes(leaves: list[bytes], algo: str) -> dict[tuple[int, int], bytes]:
    """Every perfect node of the tree, as a storage layer would keep it."""
    cr = CompactRange(algo)
    nodes = {}
    for d in leaves:
        for level, idx, h in cr.append_entry(d):
            nodes[(level, idx)] = h
    return nodes


# --------------------------------------------------------------------------- (a) hashers


@pytest.mark.parametrize("algo", ALGOS)
def test_hasher_vectors(algo):
    v = HASHER_VECTORS[algo]
    assert empty_root(algo).hex() == v["empty"]
    assert root_hash([], algo).hex() == v["empty"]
    assert leaf_hash(b"", algo).hex() == v["leaf_empty"]
    assert leaf_hash(b"L123456", algo).hex() == v["leaf_L123456"]
    assert node_hash(b"N123", b"N456", algo).hex() == v["node_N123_N456"]


def test_sm3_base_known_answers():
    # GB/T 32905-2016 examples.
    assert (
        hashlib.new("sm3", b"abc").hexdigest()
        == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert (
        hashlib.new("sm3", b"abcd" * 16).hexdigest()
        == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )
    # The module's SM3 path (a copied template object) gives the same digests.
    assert empty_root("sm3") == hashlib.new("sm3", b"").digest()
    assert merkle._hasher("sm3")(b"abc").hex().startswith("66c7f0f4")


@pytest.mark.parametrize("algo", ALGOS)
def test_hasher_domain_separation(algo):
    a, b = leaf_hash(b"a", algo), leaf_hash(b"b", algo)
    # A leaf never collides with an interior node over the same bytes.
    assert leaf_hash(a + b, algo) != node_hash(a, b, algo)
    # Swapping children changes the hash.
    assert node_hash(a, b, algo) != node_hash(b, a, algo)
    assert leaf_hash(b"", algo) != empty_root(algo)


def test_sm3_leaf_hashes_of_the_8_inputs():
    for d, spec in zip(LEAVES, SM3_LEAF_HASHES, strict=True):
        expect_hex(leaf_hash(d, "sm3"), spec)


def test_bytes_like_inputs_hash_the_same():
    assert leaf_hash(bytearray(b"xy")) == leaf_hash(b"xy") == leaf_hash(memoryview(b"xy"))


@pytest.mark.parametrize("bad", ["sha1", "SHA256", "sm2", "", None, 3, b"sha256", ["sm3"]])
def test_unknown_algo_raises_in_generators(bad):
    with pytest.raises(ValueError, match="unsupported hash algorithm"):
        leaf_hash(b"", bad)
    with pytest.raises(ValueError):
        node_hash(b"a", b"b", bad)
    with pytest.raises(ValueError):
        root_hash(LEAVES, bad)
    with pytest.raises(ValueError):
        inclusion_proof(LEAVES, 0, bad)
    with pytest.raises(ValueError):
        consistency_proof(LEAVES, 1, bad)
    with pytest.raises(ValueError):
        empty_root(bad)
    with pytest.raises(ValueError):
        CompactRange(bad)


# --------------------------------------------------------------------------- (b) roots


@pytest.mark.parametrize("algo", ALGOS)
@pytest.mark.parametrize("size", range(9))
def test_root_vectors(algo, size):
    want = ROOTS[algo][size]
    assert root_hash(LEAVES[:size], algo).hex() == want
    cr = CompactRange(algo)
    for d in LEAVES[:size]:
        cr.append_entry(d)
    assert cr.root().hex() == want
    nodes = store_nodes(LEAVES, algo)
    assert root_hash_from_nodes(size, nodes, algo).hex() == want


# --------------------------------------------------------------------------- (c)/(e) inclusion


@pytest.mark.parametrize("algo", ALGOS)
def test_inclusion_vectors(algo):
    nodes = store_nodes(LEAVES, algo)
    for index, size, leaf_spec, proof_spec in INCLUSION_VECTORS[algo]:
        leaves = LEAVES[:size]
        lh = leaf_hash(leaves[index], algo)
        if leaf_spec is not None:
            expect_hex(lh, leaf_spec)
        proof = inclusion_proof(leaves, index, algo)
        assert len(proof) == len(proof_spec)
        for got, spec in zip(proof, proof_spec, strict=True):
            expect_hex(got, spec)
        assert inclusion_proof_from_nodes(index, size, nodes, algo) == proof
        root = bytes.fromhex(ROOTS[algo][size])
        assert verify_inclusion(lh, index, size, proof, root, algo)
    # idx 0, size 1: empty proof, and the root is the leaf hash.
    assert inclusion_proof(LEAVES[:1], 0, algo) == []
    assert root_hash(LEAVES[:1], algo) == leaf_hash(LEAVES[0], algo)


def test_sha256_inclusion_first_element_full_value():
    assert inclusion_proof(LEAVES, 0)[0].hex() == (
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"
    )
    assert leaf_hash(LEAVES[1]).hex().startswith("96a296d2")


# --------------------------------------------------------------------------- (d)/(e) consistency


@pytest.mark.parametrize("algo", ALGOS)
def test_consistency_vectors(algo):
    nodes = store_nodes(LEAVES, algo)
    for old, new, proof_spec in CONSISTENCY_VECTORS[algo]:
        proof = consistency_proof(LEAVES[:new], old, algo)
        assert len(proof) == len(proof_spec)
        for got, spec in zip(proof, proof_spec, strict=True):
            expect_hex(got, spec)
        assert consistency_proof_from_nodes(old, new, nodes, algo) == proof
        r1, r2 = bytes.fromhex(ROOTS[algo][old]), bytes.fromhex(ROOTS[algo][new])
        assert verify_consistency(old, new, r1, r2, proof, algo)
        assert not verify_consistency(old, new, r2, r1, proof, algo)  # swapped roots


def test_sm3_consistency_1_to_8_equals_inclusion_0_of_8():
    assert consistency_proof(LEAVES, 1, "sm3") == inclusion_proof(LEAVES, 0, "sm3")


# --------------------------------------------------------------------------- (f) RFC example


@pytest.mark.parametrize("algo", ALGOS)
def test_rfc9162_worked_example_structure(algo):
    d = [b"d%d" % i for i in range(7)]
    a, b, c, dd, e, f, j = (leaf_hash(x, algo) for x in d)

    def N(x, y):
        return node_hash(x, y, algo)

    g, h, i = N(a, b), N(c, dd), N(e, f)
    k, l_ = N(g, h), N(i, j)
    root = N(k, l_)
    assert root_hash(d, algo) == root
    assert inclusion_proof(d, 0, algo) == [b, h, l_]
    assert inclusion_proof(d, 3, algo) == [c, g, l_]
    assert inclusion_proof(d, 4, algo) == [f, j, k]
    assert inclusion_proof(d, 6, algo) == [i, k]
    assert consistency_proof(d, 3, algo) == [c, dd, g, l_]
    assert consistency_proof(d, 4, algo) == [l_]
    assert consistency_proof(d, 6, algo) == [i, j, k]
    for m, proof in ((3, [c, dd, g, l_]), (4, [l_]), (6, [i, j, k])):
        assert verify_consistency(m, 7, root_hash(d[:m], algo), root, proof, algo)


# --------------------------------------------------------------------------- reference oracle


@pytest.mark.parametrize(("algo", "max_n"), [("sha256", 40), ("sm3", 40)])
def test_exhaustive_against_reference(algo, max_n):
    """Every 0 <= m < n <= max_n: generation equals the RFC reference and verifies both ways."""
    H = ref_H(algo)
    leaves = make_leaves(max_n, algo.encode())
    nodes = store_nodes(leaves, algo)
    roots = [ref_mth(leaves[:n], H) for n in range(max_n + 1)]
    for n in range(1, max_n + 1):
        D = leaves[:n]
        assert root_hash(D, algo) == roots[n]
        assert root_hash_from_nodes(n, nodes, algo) == roots[n]
        for m in range(n):
            # Inclusion of leaf m in D[n].
            lh = H(b"\x00" + D[m])
            want = ref_path(m, D, H)
            assert inclusion_proof(D, m, algo) == want
            assert inclusion_proof_from_nodes(m, n, nodes, algo) == want
            assert verify_inclusion(lh, m, n, want, roots[n], algo)
            assert ref_verify_inclusion(m, n, lh, want, roots[n], H)
            # Consistency of D[m'] with D[n] for m' = m + 1 in 1..n.
            old = m + 1
            want_c = ref_proof(old, D, H)
            assert consistency_proof(D, old, algo) == want_c
            assert consistency_proof_from_nodes(old, n, nodes, algo) == want_c
            assert verify_consistency(old, n, roots[old], roots[n], want_c, algo)
            assert ref_verify_consistency(old, n, roots[old], roots[n], want_c, H)
    assert roots[0] == root_hash([], algo) == H(b"")


def inclusion_shape(index: int, size: int) -> tuple[int, ...]:
    """Which side each proof element is hashed on (1 = left), per ledger.md §2.3 closed form."""
    inner = (index ^ (size - 1)).bit_length()
    border = bin(index >> inner).count("1")
    return tuple((index >> i) & 1 for i in range(inner)) + (1,) * border


def consistency_shape(size1: int, size2: int) -> tuple:
    inner = ((size1 - 1) ^ (size2 - 1)).bit_length()
    border = bin((size1 - 1) >> inner).count("1")
    shift = (size1 & -size1).bit_length() - 1
    mask = (size1 - 1) >> shift
    seeded = size1 == 1 << shift
    return (seeded, border, tuple((mask >> i) & 1 for i in range(inner - shift)))


def test_verifiers_agree_with_rfc_iterative_form_on_wrong_parameters():
    """Verify every proof for n <= 20 at every (index', size') nearby; both verifiers agree."""
    algo = "sha256"
    H = ref_H(algo)
    leaves = make_leaves(24, b"v")
    roots = [ref_mth(leaves[:n], H) for n in range(len(leaves) + 1)]
    hits = 0
    for n in range(1, 21):
        D = leaves[:n]
        for m in range(n):
            lh = H(b"\x00" + D[m])
            proof = ref_path(m, D, H)
            for n2 in range(max(1, n - 3), n + 4):
                for m2 in range(0, n2 + 2):
                    got = verify_inclusion(lh, m2, n2, proof, roots[n], algo)
                    assert got == ref_verify_inclusion(m2, n2, lh, proof, roots[n], H)
                    # It succeeds exactly when the proof "shape" is unchanged: the §2.5 pitfall.
                    # E.g. leaf 2's proof in D[3] also verifies as (index 1, size 2).
                    expected = m2 < n2 and inclusion_shape(m2, n2) == inclusion_shape(m, n)
                    assert got == expected, (m, n, m2, n2)
                    hits += got and n2 != n
            old = m + 1
            cproof = ref_proof(old, D, H)
            for n2 in range(max(1, n - 2), n + 3):
                for o2 in range(0, n2 + 2):
                    got = verify_consistency(o2, n2, roots[old], roots[n], cproof, algo)
                    assert got == ref_verify_consistency(o2, n2, roots[old], roots[n], cproof, H)
    assert hits > 0  # the size-binding pitfall does occur


# --------------------------------------------------------------------------- §2.5 edge cases


def test_size_binding_pitfall():
    """PATH(0, D[3]) also verifies as (index 0, tree_size 4) against the size-3 root.

    The verifier cannot detect this: always take tree_size and root_hash from the
    same verified checkpoint (docs/ledger.md §2.5).
    """
    d3 = LEAVES[:3]
    proof = inclusion_proof(d3, 0)
    assert proof == [leaf_hash(LEAVES[1]), leaf_hash(LEAVES[2])]
    root3 = root_hash(d3)
    lh = leaf_hash(LEAVES[0])
    assert verify_inclusion(lh, 0, 3, proof, root3)
    assert verify_inclusion(lh, 0, 4, proof, root3)  # the pitfall
    # The size-4 tree has a different root, so binding size to root defeats it.
    assert not verify_inclusion(lh, 0, 4, proof, root_hash(LEAVES[:4]))


@pytest.mark.parametrize("algo", ALGOS)
def test_consistency_edge_policy(algo):
    r = [root_hash(LEAVES[:n], algo) for n in range(9)]
    # first == 0 fails, even when second == 0 and everything else matches.
    assert not verify_consistency(0, 0, r[0], r[0], [], algo)
    assert not verify_consistency(0, 5, r[0], r[5], [], algo)
    assert not verify_consistency(0, 5, r[0], r[5], consistency_proof(LEAVES[:5], 1, algo), algo)
    # first == second: succeed iff the proof is empty and the roots are byte-equal.
    assert verify_consistency(5, 5, r[5], r[5], [], algo)
    assert verify_consistency(5, 5, bytearray(r[5]), r[5], (), algo)
    assert not verify_consistency(5, 5, r[5], r[4], [], algo)
    assert not verify_consistency(5, 5, r[5], r[5], [r[5]], algo)
    # Equal sizes with an arbitrary equal root are accepted (nothing to check)...
    assert verify_consistency(3, 3, b"\x07" * 32, b"\x07" * 32, [], algo)
    # ...but malformed roots are rejected (stricter than transparency-dev).
    assert not verify_consistency(3, 3, b"\x07" * 31, b"\x07" * 31, [], algo)
    # first > second, empty proof for different sizes.
    assert not verify_consistency(6, 5, r[6], r[5], consistency_proof(LEAVES[:6], 5, algo), algo)
    assert not verify_consistency(4, 8, r[4], r[8], [], algo)
    # consistency_proof for old_size == len is [].
    assert consistency_proof(LEAVES, 8, algo) == []


@pytest.mark.parametrize("algo", ALGOS)
def test_element_length_policy(algo):
    proof = inclusion_proof(LEAVES, 5, algo)
    lh = leaf_hash(LEAVES[5], algo)
    root = root_hash(LEAVES, algo)
    assert verify_inclusion(lh, 5, 8, proof, root, algo)
    for bad in (lh[:31], lh + b"\x00", b"", lh.hex()):
        assert not verify_inclusion(bad, 5, 8, proof, root, algo)
        assert not verify_inclusion(lh, 5, 8, [bad, *proof[1:]], root, algo)
        assert not verify_inclusion(lh, 5, 8, proof, bad, algo)
    cp = consistency_proof(LEAVES, 6, algo)
    r6 = root_hash(LEAVES[:6], algo)
    assert verify_consistency(6, 8, r6, root, cp, algo)
    assert not verify_consistency(6, 8, r6, root, [cp[0] + b"\x00", *cp[1:]], algo)
    assert not verify_consistency(6, 8, r6[:31], root, cp, algo)
    assert not verify_consistency(6, 8, r6, root + b"x", cp, algo)


@pytest.mark.parametrize("algo", ALGOS)
def test_transparency_dev_style_negatives(algo):
    """The mutation classes of the transparency-dev probe corpus, on the 8-leaf tree."""
    junk = b"\xaa" * 32
    for n in range(1, 9):
        D = LEAVES[:n]
        root = root_hash(D, algo)
        for i in range(n):
            lh = leaf_hash(D[i], algo)
            p = inclusion_proof(D, i, algo)
            assert verify_inclusion(lh, i, n, p, root, algo)
            bad = [
                (lh, i, n, [junk, *p], root),  # preceding garbage
                (lh, i, n, [*p, junk], root),  # trailing garbage
                (lh, i, n, p[:-1], root) if p else (lh, i, n, [junk], root),  # truncated
                (lh, i + 1, n, p, root),  # index + 1
                (lh, i ^ 2, n, p, root) if i ^ 2 != i else (junk, i, n, p, root),
                (lh, i, 2 * n, p, root)
                if inclusion_shape(i, 2 * n) != inclusion_shape(i, n)
                else (lh, i, n, p, junk),
                (root, i, n, p, lh) if n > 1 else (junk, i, n, p, root),  # swapped
                (lh, i, n, p, root[:-1] + bytes([root[-1] ^ 1])),  # wrong root
            ]
            if i:
                bad.append((lh, i - 1, n, p, root))
            for args in bad:
                assert not verify_inclusion(*args, algo), (n, i, args)
        for m in range(1, n):
            p = consistency_proof(D, m, algo)
            r1 = root_hash(D[:m], algo)
            assert verify_consistency(m, n, r1, root, p, algo)
            bad_c = [
                (m, n, r1, root, [junk, *p]),
                (m, n, r1, root, [*p, junk]),
                (m, n, r1, root, p[:-1]),
                (m, n, r1, root, [r1, *p]),  # preceding root1
                (m, n, r1, root, [*p, root]),  # trailing root2
                (m, n, root, r1, p),  # swapped roots
                (m, n, junk, root, p),
                (m, n, r1, junk, p),
                (m, n, r1, root, []),
                (n, m, root, r1, p),
            ]
            for args in bad_c:
                assert not verify_consistency(*args, algo), (m, n, args)


# --------------------------------------------------------------------------- argument errors


def test_generator_argument_errors():
    with pytest.raises(ValueError, match="out of range"):
        inclusion_proof(LEAVES, 8)
    with pytest.raises(ValueError, match="out of range"):
        inclusion_proof(LEAVES, -1)
    with pytest.raises(ValueError, match="out of range"):
        inclusion_proof([], 0)
    with pytest.raises(ValueError, match="out of range"):
        consistency_proof(LEAVES, 0)
    with pytest.raises(ValueError, match="out of range"):
        consistency_proof(LEAVES, 9)
    with pytest.raises(ValueError, match="out of range"):
        consistency_proof(LEAVES, -3)
    with pytest.raises(TypeError):
        inclusion_proof(LEAVES, "0")
    with pytest.raises(TypeError):
        consistency_proof(LEAVES, 1.0)
    with pytest.raises(TypeError):
        inclusion_proof(LEAVES, True)
    with pytest.raises(ValueError):
        inclusion_proof_ranges(3, 3)
    with pytest.raises(ValueError):
        consistency_proof_ranges(0, 3)
    with pytest.raises(ValueError):
        consistency_proof_nodes(4, 3)
    with pytest.raises(ValueError):
        range_nodes(5, 3)
    with pytest.raises(ValueError, match="not an RFC 9162 subtree"):
        subtree_hash_from_nodes(1, 3, {})
    with pytest.raises(ValueError):
        root_hash_from_nodes(-1, {})
    # Generators accept any iterable of entries.
    assert inclusion_proof(iter(LEAVES), 3) == inclusion_proof(LEAVES, 3)
    assert consistency_proof(tuple(LEAVES), 3) == consistency_proof(LEAVES, 3)


# --------------------------------------------------------------------------- verifiers never raise

junk_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.binary(max_size=40),
    st.binary(min_size=32, max_size=32),
    st.sampled_from(["sha256", "sm3", "SM3", "md5", ""]),
    st.just(float("inf")),
    st.just(object()),
    st.just(b"\x00" * 32),
)
junk = st.recursive(
    junk_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
        st.frozensets(st.integers(), max_size=3),
    ),
    max_leaves=12,
)
junk_proof = st.one_of(
    junk,
    st.lists(st.binary(min_size=32, max_size=32), max_size=12),
    st.lists(st.one_of(st.binary(min_size=31, max_size=33), junk_scalar), max_size=6),
)


@HYP
@given(junk, junk, junk, junk_proof, junk, junk)
def test_verify_inclusion_never_raises(leaf, index, size, proof, root, algo):
    assert type(verify_inclusion(leaf, index, size, proof, root, algo)) is bool


@HYP
@given(junk, junk, junk, junk, junk_proof, junk)
def test_verify_consistency_never_raises(first, second, r1, r2, proof, algo):
    assert type(verify_consistency(first, second, r1, r2, proof, algo)) is bool


@HYP
@given(
    st.integers(min_value=0, max_value=2**64),
    st.integers(min_value=-5, max_value=2**64 + 5),
    st.lists(st.binary(min_size=32, max_size=32), max_size=70),
    st.binary(min_size=32, max_size=32),
    st.sampled_from(ALGOS),
)
def test_verifiers_random_wellformed_inputs_do_not_raise(a, b, proof, h, algo):
    assert verify_inclusion(h, a, b, proof, h, algo) in (True, False)
    assert verify_consistency(a, b, h, h, proof, algo) in (True, False)


class _Evil(bytes):
    def __eq__(self, other):
        raise RuntimeError("boom")

    __hash__ = bytes.__hash__


class _EvilList(list):
    def __iter__(self):
        raise RuntimeError("boom")


@pytest.mark.parametrize(
    "args",
    [
        (None, 0, 1, [], None),
        (b"x" * 32, -1, 1, [], b"x" * 32),
        (b"x" * 32, 0, -1, [], b"x" * 32),
        (b"x" * 32, True, 2, [b"y" * 32], b"x" * 32),
        (b"x" * 32, 0, 1.0, [], b"x" * 32),
        (b"x" * 32, 0, "1", [], b"x" * 32),
        (b"x" * 32, 0, 1, None, b"x" * 32),
        (b"x" * 32, 0, 1, b"", b"x" * 32),  # bytes is not a proof list
        (b"x" * 32, 0, 2, b"y" * 32, b"x" * 32),
        (b"x" * 32, 0, 2, "y" * 32, b"x" * 32),
        (b"x" * 32, 0, 2, [None], b"x" * 32),
        (b"x" * 32, 0, 2, [[b"y" * 32]], b"x" * 32),
        (b"x" * 32, 0, 2, iter([b"y" * 32]), b"x" * 32),
        ("x" * 32, 0, 1, [], "x" * 32),
        (memoryview(b"x" * 32), 0, 1, [], b"x" * 32),
        (_Evil(b"x" * 32), 0, 1, [], _Evil(b"y" * 32)),
        (b"x" * 32, 0, 2, _EvilList([b"y" * 32]), b"x" * 32),
        (b"x" * 32, 2**200, 2**201, [b"y" * 32] * 3, b"x" * 32),
    ],
)
def test_verify_inclusion_malformed_is_false(args):
    assert verify_inclusion(*args) is False
    assert verify_inclusion(*args, algo="sm3") is False


@pytest.mark.parametrize("algo", ["md5", "SHA256", None, 256, b"sm3", ["sha256"], {}])
def test_verifiers_unknown_algo_is_false(algo):
    lh = leaf_hash(LEAVES[2])
    p = inclusion_proof(LEAVES, 2)
    assert verify_inclusion(lh, 2, 8, p, root_hash(LEAVES)) is True
    assert verify_inclusion(lh, 2, 8, p, root_hash(LEAVES), algo) is False
    r = root_hash(LEAVES)
    assert verify_consistency(8, 8, r, r, [], algo) is False


def test_verify_consistency_malformed_is_false():
    r = root_hash(LEAVES)
    r4 = root_hash(LEAVES[:4])
    p = consistency_proof(LEAVES, 4)
    assert verify_consistency(4, 8, r4, r, p)
    for args in [
        (4.0, 8, r4, r, p),
        (4, "8", r4, r, p),
        (True, 8, r4, r, p),
        (-4, 8, r4, r, p),
        (4, -8, r4, r, p),
        (4, 8, None, r, p),
        (4, 8, r4, r.hex(), p),
        (4, 8, r4, r, tuple(p)[:0]),
        (4, 8, r4, r, None),
        (4, 8, r4, r, b"".join(p)),
        (4, 8, r4, r, [x.hex() for x in p]),
        (4, 8, r4, r, iter(p)),
        (4, 8, r4, r, _EvilList(p)),
        (4, 8, _Evil(r), r, p),
        (2**300, 2**301, r4, r, p * 50),
    ]:
        assert verify_consistency(*args) is False, args
    assert verify_consistency(4, 8, bytearray(r4), bytearray(r), tuple(p)) is True


# --------------------------------------------------------------------------- property tests


def _flip(b: bytes, bit: int) -> bytes:
    ba = bytearray(b)
    ba[bit // 8] ^= 1 << (bit % 8)
    return bytes(ba)


tree_leaves = st.lists(st.binary(max_size=24), min_size=1, max_size=70, unique=True)


@HYP
@given(tree_leaves, st.sampled_from(ALGOS), st.data())
def test_property_inclusion_verifies_and_mutations_fail(leaves, algo, data):
    n = len(leaves)
    i = data.draw(st.integers(0, n - 1), label="index")
    root = root_hash(leaves, algo)
    lh = leaf_hash(leaves[i], algo)
    proof = inclusion_proof(leaves, i, algo)
    assert verify_inclusion(lh, i, n, proof, root, algo)
    assert verify_inclusion(lh, i, n, tuple(proof), root, algo)

    # Single-bit flips in every component.
    bit = data.draw(st.integers(0, 255), label="bit")
    assert not verify_inclusion(_flip(lh, bit), i, n, proof, root, algo)
    assert not verify_inclusion(lh, i, n, proof, _flip(root, bit), algo)
    if proof:
        k = data.draw(st.integers(0, len(proof) - 1), label="elem")
        flipped = [*proof]
        flipped[k] = _flip(flipped[k], bit)
        assert not verify_inclusion(lh, i, n, flipped, root, algo)
        # Dropped element.
        assert not verify_inclusion(lh, i, n, proof[:k] + proof[k + 1 :], root, algo)
    # Added element, anywhere.
    extra = data.draw(st.binary(min_size=32, max_size=32), label="extra")
    pos = data.draw(st.integers(0, len(proof)), label="pos")
    assert not verify_inclusion(lh, i, n, [*proof[:pos], extra, *proof[pos:]], root, algo)
    # Swapped elements.
    if len(proof) >= 2:
        a, b = data.draw(
            st.lists(st.integers(0, len(proof) - 1), min_size=2, max_size=2, unique=True),
            label="swap",
        )
        swapped = [*proof]
        swapped[a], swapped[b] = swapped[b], swapped[a]
        assert not verify_inclusion(lh, i, n, swapped, root, algo)
    # Index +-1 always fails (the leaves are distinct).
    for j in (i - 1, i + 1):
        assert not verify_inclusion(lh, j, n, proof, root, algo)
    # Size +-1 fails unless the proof shape is unchanged: the §2.5 size-binding pitfall.
    for n2 in (n - 1, n + 1):
        shape_same = i < n2 and inclusion_shape(i, n2) == inclusion_shape(i, n)
        assert verify_inclusion(lh, i, n2, proof, root, algo) == shape_same


@HYP
@given(
    st.lists(st.binary(max_size=24), min_size=2, max_size=70, unique=True),
    st.sampled_from(ALGOS),
    st.data(),
)
def test_property_consistency_verifies_and_mutations_fail(leaves, algo, data):
    n = len(leaves)
    m = data.draw(st.integers(1, n - 1), label="old_size")
    r1, r2 = root_hash(leaves[:m], algo), root_hash(leaves, algo)
    proof = consistency_proof(leaves, m, algo)
    assert proof
    assert verify_consistency(m, n, r1, r2, proof, algo)

    bit = data.draw(st.integers(0, 255), label="bit")
    k = data.draw(st.integers(0, len(proof) - 1), label="elem")
    flipped = [*proof]
    flipped[k] = _flip(flipped[k], bit)
    assert not verify_consistency(m, n, r1, r2, flipped, algo)
    assert not verify_consistency(m, n, _flip(r1, bit), r2, proof, algo)
    assert not verify_consistency(m, n, r1, _flip(r2, bit), proof, algo)
    assert not verify_consistency(m, n, r2, r1, proof, algo)
    assert not verify_consistency(m, n, r1, r2, proof[:k] + proof[k + 1 :], algo)
    extra = data.draw(st.binary(min_size=32, max_size=32), label="extra")
    pos = data.draw(st.integers(0, len(proof)), label="pos")
    assert not verify_consistency(m, n, r1, r2, [*proof[:pos], extra, *proof[pos:]], algo)
    if len(proof) >= 2:
        a, b = data.draw(
            st.lists(st.integers(0, len(proof) - 1), min_size=2, max_size=2, unique=True),
            label="swap",
        )
        swapped = [*proof]
        swapped[a], swapped[b] = swapped[b], swapped[a]
        assert not verify_consistency(m, n, r1, r2, swapped, algo)
    # Sizes +-1 fail unless the proof shape is unchanged (the consistency pitfall analogue).
    for m2, n2 in ((m - 1, n), (m + 1, n), (m, n - 1), (m, n + 1)):
        ok = 0 < m2 < n2 and consistency_shape(m2, n2) == consistency_shape(m, n)
        assert verify_consistency(m2, n2, r1, r2, proof, algo) == ok, (m, n, m2, n2)


@HYP
@given(
    st.integers(1, 3000),
    st.sampled_from(ALGOS),
    st.data(),
)
def test_property_node_api_matches_list_api(n, algo, data):
    leaves = make_leaves(n, b"p")
    nodes = store_nodes(leaves, algo)
    i = data.draw(st.integers(0, n - 1), label="index")
    m = data.draw(st.integers(1, n), label="old_size")
    n_old = data.draw(st.integers(m, n), label="new_size")
    # Fetch only the listed nodes, as a storage layer would.
    need = inclusion_proof_nodes(i, n)
    assert len(need) == len(set(need))
    fetched = {key: nodes[key] for key in need}
    assert inclusion_proof_from_nodes(i, n, fetched, algo) == inclusion_proof(leaves, i, algo)
    need_c = consistency_proof_nodes(m, n_old)
    fetched_c = {key: nodes[key] for key in need_c}
    got_c = consistency_proof_from_nodes(m, n_old, fetched_c, algo)
    assert got_c == consistency_proof(leaves[:n_old], m, algo)
    assert verify_consistency(
        m,
        n_old,
        root_hash_from_nodes(m, nodes, algo),
        root_hash_from_nodes(n_old, nodes, algo),
        got_c,
        algo,
    )


# --------------------------------------------------------------------------- node-list API


def test_node_coordinates():
    assert node_range(0, 5) == (5, 6)
    assert node_range(3, 2) == (16, 24)
    assert range_nodes(0, 0) == []
    assert range_nodes(0, 7) == [(2, 0), (1, 2), (0, 6)]
    assert range_nodes(0, 8) == [(3, 0)]
    assert range_nodes(3, 13) == [(0, 3), (2, 1), (2, 2), (0, 12)]
    for s in range(0, 40):
        for e in range(s, 41):
            nodes = range_nodes(s, e)
            covered = [x for lvl, idx in nodes for x in range(*node_range(lvl, idx))]
            assert covered == list(range(s, e))
    # Inclusion of leaf 5 in 8: sibling leaf 4, node (1, 3) = leaves 6..7, node (2, 0).
    assert inclusion_proof_nodes(5, 8) == [(0, 4), (1, 3), (2, 0)]
    # Ranges for an ephemeral (non-perfect) right-border element.
    assert inclusion_proof_ranges(0, 7) == [(1, 2), (2, 4), (4, 7)]
    assert inclusion_proof_nodes(0, 7) == [(0, 1), (1, 1), (1, 2), (0, 6)]
    assert consistency_proof_ranges(3, 7) == [(2, 3), (3, 4), (0, 2), (4, 7)]
    assert consistency_proof_ranges(4, 7) == [(4, 7)]
    assert consistency_proof_ranges(7, 7) == []


@pytest.mark.parametrize("algo", ALGOS)
def test_node_api_agrees_with_list_api_exhaustive(algo):
    leaves = make_leaves(70, b"n")
    nodes = store_nodes(leaves, algo)
    for n in range(1, 71):
        assert len([k for k in nodes if node_range(*k)[1] <= n]) == 2 * n - bin(n).count("1")
        D = leaves[:n]
        for i in range(n):
            need = inclusion_proof_nodes(i, n)
            assert len(need) <= 2 * max(1, n.bit_length())
            calls = []

            def get(level, idx, calls=calls):
                calls.append((level, idx))
                return nodes[(level, idx)]

            assert inclusion_proof_from_nodes(i, n, get, algo) == inclusion_proof(D, i, algo)
            assert calls == need
        for m in range(1, n + 1):
            need = consistency_proof_nodes(m, n)
            sub = {k: nodes[k] for k in need}
            got = consistency_proof_from_nodes(m, n, sub, algo)
            assert got == consistency_proof(D, m, algo)
    # Every stored node is the MTH of its leaf range.
    for (level, idx), h in nodes.items():
        s, e = node_range(level, idx)
        assert h == root_hash(leaves[s:e], algo)
        assert subtree_hash_from_nodes(s, e, nodes, algo) == h
    # Subtree (ephemeral) hashes: aligned ranges of any length.
    assert subtree_hash_from_nodes(64, 70, nodes, algo) == root_hash(leaves[64:70], algo)
    assert subtree_hash_from_nodes(0, 70, nodes, algo) == root_hash(leaves, algo)


def test_node_api_missing_node_and_bad_source():
    nodes = store_nodes(LEAVES, "sha256")
    del nodes[(1, 3)]
    with pytest.raises(KeyError, match="level=1, index=3"):
        inclusion_proof_from_nodes(5, 8, nodes)
    with pytest.raises(TypeError):
        inclusion_proof_from_nodes(5, 8, 42)


# --------------------------------------------------------------------------- CompactRange


@pytest.mark.parametrize("algo", ALGOS)
def test_compact_range_root_matches_every_size_to_300(algo):
    leaves = make_leaves(300, b"c")
    cr = CompactRange(algo)
    assert cr.root() == root_hash([], algo) == empty_root(algo)
    all_nodes = {}
    for n, d in enumerate(leaves, start=1):
        created = cr.append_entry(d)
        assert created[0] == (0, n - 1, leaf_hash(d, algo))
        # Appending leaf n-1 completes one node per trailing 1-bit of n-1.
        assert len(created) == 1 + ((n - 1) ^ n).bit_length() - 1
        all_nodes.update({(lv, ix): h for lv, ix, h in created})
        assert cr.size == n
        assert len(cr.peaks) == bin(n).count("1")
        assert cr.root() == root_hash(leaves[:n], algo), n
        assert [all_nodes[k] for k in cr.peak_nodes()] == list(cr.peaks)
    # Restoring from persisted state or from stored nodes gives the same frontier.
    assert CompactRange(algo, cr.size, cr.peaks) == cr
    assert CompactRange.from_nodes(300, all_nodes, algo) == cr
    restored = CompactRange.from_nodes(137, all_nodes, algo)
    assert restored.root() == root_hash(leaves[:137], algo)
    restored.extend(leaf_hash(d, algo) for d in leaves[137:])
    assert restored == cr
    clone = cr.copy()
    clone.append_entry(b"more")
    assert clone.size == 301 and cr.size == 300
    assert clone != cr


def test_compact_range_validation():
    with pytest.raises(ValueError, match="peaks"):
        CompactRange("sha256", 3, [b"\x00" * 32])
    with pytest.raises(ValueError):
        CompactRange("sha256", 1, [b"\x00" * 31])
    with pytest.raises(ValueError):
        CompactRange("sha256", -1)
    with pytest.raises(TypeError):
        CompactRange("sha256", "3")
    cr = CompactRange()
    with pytest.raises(ValueError):
        cr.append(b"short")
    with pytest.raises(ValueError):
        cr.append("x" * 32)
    assert cr.size == 0
    assert "size=0" in repr(cr)
    assert cr.algo == "sha256"


# --------------------------------------------------------------------------- independence


def test_module_imports_only_stdlib():
    src = Path(merkle.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add(node.module)
    assert imported <= {"__future__", "hashlib", "collections.abc", "typing"}, imported


def test_module_loads_standalone_without_django():
    """The offline verifier can vendor merkle.py as a single file."""
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('m', {merkle.__file__!r})\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "assert m.root_hash([b'']).hex().startswith('6e340b9c')\n"
        "bad = [k for k in sys.modules if k.split('.')[0] in ('django', 'zhifa')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-I", "-c", code], check=True, timeout=60)
    assert importlib.util.find_spec("hashlib") is not None
