"""The vectorised EAN check agrees with stdnum's, value for value."""

from __future__ import annotations

import random

from stdnum import ean

from odookit.migration.rules import ean_invalid


def test_ean_check_matches_stdnum_on_random_values():
    rng = random.Random(11)
    values = []
    for _ in range(3000):
        length = rng.choice((6, 7, 8, 11, 12, 13, 14, 15))
        body = "".join(rng.choice("0123456789") for _ in range(length - 1))
        values.append(body + ean.calc_check_digit(body) if rng.random() < 0.5 else body + rng.choice("0123456789"))
    values += ["4006381333931", "400-6381333931", "4006381333 931", "40063813339３1", "ABCDEFGHIJKLM", "", "7622210449283"]
    expected = {v for v in values if not ean.is_valid(v)}
    assert ean_invalid(values) == expected
    assert 0 < len(expected) < len(values)  # both outcomes were exercised
    # separators and full-width digits go to stdnum, which accepts them
    assert {"4006381333931", "400-6381333931", "4006381333 931", "40063813339３1"}.isdisjoint(expected)

