"""Vietnamese text: Unicode NFC and collation keys that sort correctly in any database."""

import unicodedata

# CLDR order for Vietnamese: letters first (a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư) ...
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# ... then tones: none < huyền < hỏi < ngã < sắc < nặng.
TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)

# Keys are made of decimal digits only, so PostgreSQL under any locale and SQLite's binary
# collation order them the same way. Two digits per character: "00" ends the letters,
# "01" separates words, "02".."11" are digits, letters start at "12".
_END, _SPACE, _DIGIT0, _LETTER0 = 0, 1, 2, 12


# C0 control characters but tab, line feed and carriage return: no keyboard types them, PostgreSQL refuses NUL.
_CONTROLS = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def nfc(value: str | None) -> str:
    """Normalise to NFC (Windows' Vietnamese keyboard produces decomposed text), drop control characters
    (a NUL pasted from a PDF would otherwise fail the save) and trim."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", value.translate(_CONTROLS)).strip()


def _split_char(char: str) -> tuple[str, int]:
    """One character -> (base letter with its letter marks, tone number)."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = 0
    kept = []
    for part in decomposed:
        if part in TONE_MARKS:
            tone = TONE_MARKS[part]
        elif unicodedata.combining(part) and part not in LETTER_MARKS:
            continue
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def sort_key(value: str | None) -> str:
    """Collation key: all letters compared first, tones only to break ties."""
    primary: list[int] = []
    tones: list[int] = []
    for char in nfc(value).lower():
        base, tone = _split_char(char)
        if base in ALPHABET and base:
            primary.append(_LETTER0 + ALPHABET.index(base))
            tones.append(tone)
        elif base.isdigit() and base.isascii():
            primary.append(_DIGIT0 + int(base))
            tones.append(0)
        elif primary and primary[-1] != _SPACE:
            primary.append(_SPACE)  # spaces and punctuation separate words
    while primary and primary[-1] == _SPACE:
        primary.pop()
    return "".join(f"{code:02d}" for code in primary) + f"{_END:02d}" + "".join(str(t) for t in tones)


def person_sort_key(full_name: str | None) -> str:
    """People sort by given name (the last word), then middle names, then family name."""
    words = nfc(full_name).split()
    if len(words) > 1:
        words = [words[-1], *words[1:-1], words[0]]
    return sort_key(" ".join(words))


def is_id(value: str) -> bool:
    """A row id as typed in a form or query: '0'–'9' only, short enough for a 64-bit integer."""
    return is_ascii_digits(value) and len(value) <= 18


def is_ascii_digits(value: str) -> bool:
    """'0'–'9' only: str.isdigit() alone accepts superscripts ("²", which int() refuses) and other scripts' digits."""
    return bool(value) and value.isascii() and value.isdigit()


def group_digits(value: int) -> str:
    """1234567 -> "1.234.567": a whole number with the Vietnamese thousands separator, in any language."""
    return f"{value:,}".replace(",", ".")
