"""camscan.memo.BoundedMemo: remembers, and forgets everything at its cap (hostile all-distinct input never grows it)."""

from camscan.memo import BoundedMemo


def test_remember_returns_and_stores_the_value() -> None:
    memo: BoundedMemo[str, int] = BoundedMemo(3)
    assert memo.remember("a", 1) == 1
    assert memo["a"] == 1


def test_full_memo_is_cleared_before_the_next_value() -> None:
    memo: BoundedMemo[int, int] = BoundedMemo(3)
    for n in range(3):
        memo.remember(n, n)
    assert len(memo) == 3
    memo.remember(99, 99)
    assert dict(memo) == {99: 99}


def test_never_holds_more_than_its_size() -> None:
    memo: BoundedMemo[int, int] = BoundedMemo(16)
    for n in range(10_000):
        memo.remember(n, n)
        assert len(memo) <= 16
