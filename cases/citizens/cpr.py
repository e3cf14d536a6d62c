"""CPR numbers: validation (python-stdnum), masking and normalisation.

No modulus-11 requirement: numbers issued after 2007 often fail it (stdnum's own docs).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def normalise(value: str) -> str:
    """Digits only (strips spaces and the dash)."""
    return stdnum_cpr.compact(value or "")


def validate_cpr(value: str) -> str:
    """Return the CPR as ten digits, or raise a Danish ValidationError."""
    try:
        return stdnum_cpr.validate(value or "")
    except InvalidLength as exc:  # before InvalidFormat: stdnum's InvalidLength subclasses it
        raise ValidationError(
            _("CPR-nummeret skal have 10 cifre (DDMMÅÅ-XXXX)."), code="cpr_length"
        ) from exc
    except InvalidFormat as exc:
        raise ValidationError(
            _("CPR-nummeret må kun indeholde cifre, fx 010203-1234."), code="cpr_format"
        ) from exc
    except InvalidComponent as exc:
        raise ValidationError(
            _("CPR-nummeret indeholder ikke en gyldig fødselsdato."), code="cpr_date"
        ) from exc
    except StdnumError as exc:  # pragma: no cover - any other stdnum rejection
        raise ValidationError(_("Ugyldigt CPR-nummer."), code="cpr_invalid") from exc


def birth_date(value: str) -> dt.date:
    return stdnum_cpr.get_birth_date(value)


def mask(value: str) -> str:
    """``DDMMYY-XXXX``: the date part only. Used everywhere but the explicit reveal."""
    digits = normalise(value)
    if len(digits) != 10:
        return "XXXXXX-XXXX"
    return f"{digits[:6]}-XXXX"


def formatted(value: str) -> str:
    """The full number as ``DDMMYY-SSSS`` (only after an audited reveal)."""
    digits = normalise(value)
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else value
