"""The chunking helpers that tests, grader and visuals use to cut streams."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framinglib import all_splits, cuts_of, random_split, split_at, split_every
from framinglib.chunking import MAX_EXHAUSTIVE_LENGTH


@st.composite
def data_and_cuts(draw):
    data = draw(st.binary(max_size=60))
    if len(data) < 2:
        return data, []
    return data, draw(st.lists(st.integers(1, len(data) - 1), max_size=20))


@given(data_and_cuts())
def test_split_at_and_cuts_of_undo_each_other(case):
    data, cuts = case
    chunks = split_at(data, cuts)
    assert b"".join(chunks) == data
    assert all(chunks), "no empty chunks"
    assert len(chunks) == (len(set(cuts)) + 1 if data else 0)
    assert cuts_of(chunks) == sorted(set(cuts))
    assert split_at(data, cuts_of(chunks)) == chunks


def test_split_at_example_and_input_types():
    assert split_at(b"abcd", [3, 1, 3]) == [b"a", b"bc", b"d"]
    assert split_at(bytearray(b"abcd"), (2,)) == [b"ab", b"cd"]
    assert all(type(c) is bytes for c in split_at(memoryview(b"abcd"), [2]))
    assert split_at(b"", []) == []


def test_cuts_of_ignores_empty_chunks():
    assert cuts_of([b"", b"ab", b"", b"c", b""]) == [2]


@pytest.mark.parametrize("cut", [0, 4, -1, 10])
def test_split_at_refuses_cuts_outside_the_data(cut):
    with pytest.raises(ValueError, match=f"cut {cut} is not inside data of length 4"):
        split_at(b"abcd", [cut])


@given(st.binary(max_size=50), st.integers(1, 12))
def test_split_every(data, size):
    chunks = split_every(data, size)
    assert b"".join(chunks) == data
    assert all(len(c) == size for c in chunks[:-1])
    assert all(0 < len(c) <= size for c in chunks)


@pytest.mark.parametrize("size", [0, -2])
def test_split_every_refuses_sizes_below_one(size):
    with pytest.raises(ValueError, match="size"):
        split_every(b"abc", size)


@pytest.mark.parametrize("length", range(0, 9))
def test_all_splits_are_every_distinct_split(length):
    data = bytes(range(65, 65 + length))
    splits = list(all_splits(data))
    assert len(splits) == (2 ** (length - 1) if length else 1)
    assert len({tuple(s) for s in splits}) == len(splits), "no split appears twice"
    for split in splits:
        assert b"".join(split) == data
        assert all(split)


def test_all_splits_refuses_longer_input_than_its_limit():
    assert next(all_splits(b"x" * MAX_EXHAUSTIVE_LENGTH)) == [b"x" * MAX_EXHAUSTIVE_LENGTH]
    with pytest.raises(ValueError, match=f"at most {MAX_EXHAUSTIVE_LENGTH} bytes"):
        next(all_splits(b"x" * (MAX_EXHAUSTIVE_LENGTH + 1)))


@given(st.binary(min_size=0, max_size=80), st.one_of(st.integers(), st.text(max_size=8)))
def test_random_split_is_deterministic_per_seed(data, seed):
    first = random_split(data, seed)
    assert random_split(data, seed) == first
    assert b"".join(first) == data
    assert all(first)


def test_random_split_depends_on_the_seed():
    data = bytes(200)
    assert len({tuple(map(len, random_split(data, seed))) for seed in range(20)}) > 10


@given(st.binary(min_size=1, max_size=40), st.data())
def test_random_split_makes_the_asked_number_of_chunks(data, draw):
    count = draw.draw(st.integers(1, len(data)))
    chunks = random_split(data, "student-42", chunks=count)
    assert len(chunks) == count
    assert b"".join(chunks) == data


@pytest.mark.parametrize("count", [0, 5, -1])
def test_random_split_refuses_impossible_counts(count):
    with pytest.raises(ValueError, match=f"into {count} chunks"):
        random_split(b"abcd", 1, chunks=count)
