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



def test_batch_confirmed_tax_ids_are_exactly_the_plain_ones_stdnum_accepts():
    from stdnum import luhn
    from stdnum.ca import bn
    from stdnum.us import ein

    from odookit.migration.rules import _confirmed_valid, _valid_for

    rng = random.Random(5)
    values, countries = [], []
    for _ in range(2000):
        body = "".join(rng.choice("0123456789") for _ in range(8))
        values.append(body + luhn.calc_check_digit(body) if rng.random() < 0.5 else body + rng.choice("0123456789"))
        countries.append(rng.choice(("CA", " ca ", "US")))
        digits = "".join(rng.choice("0123456789") for _ in range(9))
        values.append(rng.choice((f"{digits[:2]}-{digits[2:]}", digits, f"{digits[:3]}-{digits[3:5]}-{digits[5:]}")))
        countries.append(rng.choice(("US", "us", "CA")))
    values += ["１２３４５６７８２", "123456782 ", "CA123456782", "12345678", "04-2103594", None, 123456782, "04-21O3594", "04+2103594"]
    countries += ["CA", "CA", "CA", "CA", None, "CA", "CA", "US", "US"]
    confirmed = _confirmed_valid(values, countries).tolist()
    assert len(confirmed) == len(values)
    for value, country, ok in zip(values, countries, confirmed, strict=True):
        if not isinstance(value, str) or not isinstance(country, str):
            assert not ok
            continue
        cc = country.strip().lower()
        scheme = {"ca": bn.is_valid, "us": ein.is_valid}[cc]
        layout = value if cc == "ca" else value[:2] + value[3:] if value[2:3] == "-" else value  # a BN's digits, an EIN's with its dash
        plain = layout.isascii() and layout.isdigit() and len(layout) == 9
        # a confirmation is stdnum's own verdict; anything not confirmed goes to stdnum value by value
        assert ok == (plain and scheme(value)), (value, country)
        if ok:
            assert _valid_for(value, cc)
    assert 1000 < sum(confirmed) < 3000  # both outcomes, both countries exercised
    assert confirmed[-9:] == [False] * 9  # full-width digits, spaces, prefixes, letters: left to stdnum
