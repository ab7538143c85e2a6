"""Kazakhstan's individual identification number (IIN, ЖСН/ИИН): format and check digit only.

Since Government Decree No. 853 (2013) the digits are no longer bound to the date of birth or sex,
so nothing is derived from them and a mismatch with the date of birth is not an error.
"""

WEIGHTS = (range(1, 12), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))


def normalise_iin(value: str) -> str:
    return "".join(ch for ch in value if not ch.isspace())


def iin_is_valid(iin: str) -> bool:
    if len(iin) != 12 or not iin.isascii() or not iin.isdigit():
        return False
    digits = [int(c) for c in iin]
    for weights in WEIGHTS:
        total = sum(d * w for d, w in zip(digits[:11], weights, strict=True)) % 11
        if total != 10:
            return total == digits[11]
    return False


def iin_check_digit(first_eleven: str) -> int | None:
    """The check digit for eleven digits, or None when no IIN can be issued with them."""
    digits = [int(c) for c in first_eleven]
    for weights in WEIGHTS:
        total = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if total != 10:
            return total
    return None
