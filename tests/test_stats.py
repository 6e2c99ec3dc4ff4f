import pytest

from tests.stats import pearson


def test_pearson_of_perfect_agreement_and_disagreement() -> None:
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)


def test_pearson_of_a_constant_series_is_zero() -> None:
    assert pearson([5, 5, 5], [1, 2, 3]) == 0.0


@pytest.mark.parametrize(("xs", "ys"), [([1], [1]), ([1, 2], [1, 2, 3]), ([], [])])
def test_pearson_refuses_series_it_cannot_compare(xs: list[int], ys: list[int]) -> None:
    with pytest.raises(ValueError):
        pearson(xs, ys)
