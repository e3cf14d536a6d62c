"""CPR validation: format and date of birth (python-stdnum), no modulus-11; masking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from stdnum.dk import cpr as stdnum_cpr

from cases.citizens.cpr import birth_date, formatted, mask, normalise, validate_cpr


@pytest.mark.parametrize("value", ["2110625629", "211062-5629", " 211062 5629 "])
def test_valid_numbers_are_normalised_to_ten_digits(value: str) -> None:
    assert validate_cpr(value) == "2110625629"


def test_post_2007_number_that_fails_modulus_11_is_accepted() -> None:
    # Born 15.03.2012 (7th digit 4 and year 12 -> 2000s); the weighted sum is not 0 mod 11.
    assert stdnum_cpr.checksum("1503124002") != 0
    assert validate_cpr("150312-4002") == "1503124002"
    assert birth_date("1503124002") == dt.date(2012, 3, 15)


@pytest.mark.parametrize("value", ["3102051234", "0013851234", "3213851234"])
def test_impossible_date_of_birth_is_rejected_in_danish(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_cpr(value)
    assert exc.value.code == "cpr_date"
    assert "gyldig fødselsdato" in exc.value.messages[0]


@pytest.mark.parametrize("value", ["21106256", "21106256291"])
def test_wrong_length_is_rejected(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_cpr(value)
    assert exc.value.code == "cpr_length"
    assert "10 cifre" in exc.value.messages[0]


@pytest.mark.parametrize("value", ["21106A5629", "abcdefghij"])
def test_letters_are_rejected(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_cpr(value)
    assert exc.value.code == "cpr_format"


def test_mask_shows_only_the_date_part() -> None:
    assert mask("2110625629") == "211062-XXXX"
    assert mask("211062-5629") == "211062-XXXX"
    assert mask("123") == "XXXXXX-XXXX"
    assert formatted("2110625629") == "211062-5629"
    assert normalise("211062-5629") == "2110625629"
