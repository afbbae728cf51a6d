"""Numbers: `math` (Java BigDecimal semantics) and the random helpers `randomValue`, `randomInt`,
`randomDecimal`.

`math` division keeps the dividend's scale and rounds HALF_UP (`10 / 4` is `3`, `7.5 / 2` is `3.8`); a
result with scale 0 is an integer, any other a double (`5.0`, `3.0E9`).
"""

from __future__ import annotations

import decimal
import re
import secrets
import string
import types
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from mockd.jsontext import java_double
from mockd.templating.options import HelperError, Options, RenderFailure, coerce_int, hash_int
from mockd.templating.values import is_number, java_str, to_text

_RNG = secrets.SystemRandom()
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?")


# -- math -----------------------------------------------------------------------------------------

_MATH = decimal.Context(prec=400, rounding=decimal.ROUND_HALF_UP, Emax=10_000, Emin=-10_000)


def _big_decimal(value: Any) -> Decimal:
    if value is None:
        raise RenderFailure(
            'java.lang.NullPointerException: Cannot invoke "Object.toString()" because "value" is null'
        )
    if isinstance(value, bool):
        return Decimal(0)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(java_double(value))
    if isinstance(value, Decimal):
        return value
    text = java_str(value)
    return Decimal(text) if _DECIMAL.fullmatch(text) else Decimal(0)


def _divide(left: Decimal, right: Decimal) -> Decimal:
    """BigDecimal.divide(right, HALF_UP): the quotient at the dividend's scale."""
    if right == 0:
        raise RenderFailure("java.lang.ArithmeticException: / by zero")
    ls, ld, le = left.as_tuple()
    rs, rd, re_ = right.as_tuple()
    lint = int("".join(map(str, ld)) or "0")
    rint = int("".join(map(str, rd)) or "0")
    scale = -int(le)
    shift = -int(re_)  # right's scale; result scale = left's scale
    num, den = lint, rint
    if shift >= 0:
        num *= 10**shift
    else:
        den *= 10**-shift
    q, r = divmod(num, den)
    if 2 * r >= den:
        q += 1
    sign = 1 if ls != rs and q else 0
    return Decimal((sign, tuple(int(d) for d in str(q)), -scale))


def math_(ctx: Any, o: Options) -> Any:
    if len(o.params) != 2:
        raise HelperError(
            "All maths functions require two operands and an operator as parameters e.g. 3 '+' 2"
        )
    left = _big_decimal(ctx)
    operator = java_str(o.params[0])
    right = _big_decimal(o.params[1])
    for number in (left, right):
        if not number.is_finite() or abs(int(number.as_tuple().exponent)) > 1000:
            raise RenderFailure("number out of range")
    with decimal.localcontext(_MATH):
        if operator == "+":
            result = left + right
        elif operator == "-":
            result = left - right
        elif operator in ("*", "x"):
            result = left * right
        elif operator == "/":
            result = _divide(left, right)
        elif operator == "%":
            if right == 0:
                raise RenderFailure("java.lang.ArithmeticException: Division by zero")
            result = left % right
        else:
            raise HelperError(f"{operator} is not a valid mathematical operator")
    if result.as_tuple().exponent == 0:
        return int(result)
    return float(result)


# -- random ---------------------------------------------------------------------------------------

_ALPHABETS = types.MappingProxyType(
    {
        "ALPHANUMERIC": string.ascii_letters + string.digits,
        "ALPHABETIC": string.ascii_letters,
        "NUMERIC": string.digits,
        "ALPHANUMERIC_AND_SYMBOLS": "".join(chr(c) for c in range(33, 126)),
        "HEXADECIMAL": "ABCDEF0123456789",
    }
)


def random_value(ctx: Any, o: Options) -> Any:
    length = hash_int(o, "length", 36)
    if length < 0:
        raise RenderFailure(
            f"java.lang.IllegalArgumentException: Requested random string length {length} is less than 0."
        )
    if length > o.state.config.max_output:
        raise HelperError(f"length {length} is larger than {o.state.config.max_output}")
    kind = to_text(o.hash.get("type") or "ALPHANUMERIC")
    if kind == "UUID":
        raw = str(uuid.uuid4())
    else:
        alphabet = _ALPHABETS.get(kind, "".join(chr(c) for c in range(32, 127)))
        raw = "".join(_RNG.choices(alphabet, k=length))
    return raw.upper() if o.hash.get("uppercase") is True else raw.lower()


def random_int(ctx: Any, o: Options) -> Any:
    lower = coerce_int(o.hash.get("lower", -(2**31)))
    upper = coerce_int(o.hash.get("upper", 2**31 - 1))
    if lower is None or upper is None:
        raise RenderFailure("java.lang.NullPointerException: bounds must be integers")
    if lower >= upper:
        raise RenderFailure("java.lang.IllegalArgumentException: bound must be greater than origin")
    return _RNG.randrange(lower, upper)


def random_decimal(ctx: Any, o: Options) -> Any:
    def bound(key: str, default: float) -> float:
        value = o.hash.get(key)
        if value is None:
            return default
        try:
            return float(value) if is_number(value) or isinstance(value, str) else default
        except ValueError:
            raise RenderFailure(f'java.lang.NumberFormatException: For input string: "{value}"') from None

    lower, upper = bound("lower", 5e-324), bound("upper", 1.7976931348623157e308)
    if lower >= upper:
        raise RenderFailure("java.lang.IllegalArgumentException: bound must be greater than origin")
    value = lower + _RNG.random() * (upper - lower)
    return value if value < upper else lower


HELPERS: Mapping[str, Callable[[Any, Options], Any]] = types.MappingProxyType(
    {
        "math": math_,
        "randomValue": random_value,
        "randomInt": random_int,
        "randomDecimal": random_decimal,
    }
)
