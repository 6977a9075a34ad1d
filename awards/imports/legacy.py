"""The pre-Unicode Vietnamese encodings still found in old spreadsheets: TCVN3 (typed with ABC) and VNI-Windows.

A workbook never says its text is in a legacy encoding: Excel stores the characters that Windows' Western code page
gives the bytes, and the *font* (.VnTime, VNI-Times…) draws them as Vietnamese letters. So a cell is converted when
its font is a legacy one (``font_encoding``), and only when its text could be legacy text (nothing beyond U+00FF:
once a cell holds real Vietnamese letters, it is Unicode whatever its font). For CSV, which has no fonts,
``guess_encoding`` looks at the characters (a heuristic; the person checks the preview).

The tables are transcribed from UniKey's converter library VnConv, file ``ukengine/data.cpp`` (Pham Kim Long,
GPL-2.0-or-later), as shipped by ibus-unikey (https://github.com/vn-input/ibus-unikey, ``ukengine/data.cpp``):
the "TCVN3" row of ``SingleByteTables`` and the "VNI-WIN" row of ``DoubleByteTables``. Both list every base letter
(a, â, ă, đ, e, ê, i, o, ô, ơ, u, ư, y) upper then lower case, without a tone mark, then with sắc, huyền, hỏi, ngã
and nặng. TCVN3 gives the toned capitals the lower-case code points: its capital fonts (``.VnTimeH`` and the other
``…H`` fonts) draw those code points as capitals, so their text is converted and then upper-cased.
"""

from __future__ import annotations

import enum
import re
import unicodedata

# Combining tone marks in the tables' order: none, sắc, huyền, hỏi, ngã, nặng.
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")


def _toned(base: str) -> list[str]:
    return [unicodedata.normalize("NFC", base + tone) for tone in _TONES]


# TCVN3 (ABC): each lower-case base letter and its six forms (no tone, sắc, huyền, hỏi, ngã, nặng), one character
# each. "\xad" (ư) is the soft hyphen's code point, invisible in most editors.
_TCVN3_LOWER = {
    "a": "a¸µ¶·¹", "â": "©ÊÇÈÉË", "ă": "¨¾»¼½Æ", "e": "eÐÌÎÏÑ", "ê": "ªÕÒÓÔÖ", "i": "iÝ×ØÜÞ",
    "o": "oãßáâä", "ô": "«èåæçé", "ơ": "¬íêëìî", "u": "uóïñòô", "ư": "\xadøõö÷ù", "y": "yýúûüþ",
}  # fmt: skip
# The capitals TCVN3 has code points for: the base letters with a letter mark, without a tone.
_TCVN3_CAPITALS = {"Â": "¢", "Ă": "¡", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§", "đ": "®"}

# VNI-Windows: a base letter, then one character for the letter mark and tone together (two characters), except
# the letters VNI has as one character (đ, ơ and ư's base, the i's, ỵ).
_VNI_PLAIN_MARKS = ("", "ù", "ø", "û", "õ", "ï")  # a, e, o, u, y, ơ, ư: none, sắc, huyền, hỏi, ngã, nặng
_VNI_CIRCUMFLEX_MARKS = ("â", "á", "à", "å", "ã", "ä")  # â, ê, ô: the circumflex, then with each tone
_VNI_BREVE_MARKS = ("ê", "é", "è", "ú", "ü", "ë")  # ă


def _vni_table() -> dict[str, str]:
    """Unicode letter -> its VNI-Windows characters, both cases."""
    table: dict[str, str] = {}

    def add(letter: str, lower_forms: list[str], upper_forms: list[str]) -> None:
        for unicode_lower, vni_lower, vni_upper in zip(_toned(letter), lower_forms, upper_forms, strict=True):
            table[unicode_lower] = vni_lower
            table[unicode_lower.upper()] = vni_upper

    for letter in "aeouy":
        lower = [letter + mark for mark in _VNI_PLAIN_MARKS]
        upper = [letter.upper() + mark.upper() for mark in _VNI_PLAIN_MARKS]
        if letter == "y":  # ỵ has its own character
            lower[5], upper[5] = "î", "Î"
        add(letter, lower, upper)
    for letter, vni_base in (("ơ", "ô"), ("ư", "ö")):
        add(letter, [vni_base + mark for mark in _VNI_PLAIN_MARKS],
            [vni_base.upper() + mark.upper() for mark in _VNI_PLAIN_MARKS])  # fmt: skip
    for letter, ascii_base in (("â", "a"), ("ê", "e"), ("ô", "o")):
        add(letter, [ascii_base + mark for mark in _VNI_CIRCUMFLEX_MARKS],
            [ascii_base.upper() + mark.upper() for mark in _VNI_CIRCUMFLEX_MARKS])  # fmt: skip
    add("ă", ["a" + mark for mark in _VNI_BREVE_MARKS], ["A" + mark.upper() for mark in _VNI_BREVE_MARKS])
    add("i", list("iíìæóò"), list("IÍÌÆÓÒ"))
    table["đ"], table["Đ"] = "ñ", "Ñ"
    return table


def _tcvn3_table() -> dict[str, str]:
    """Unicode letter -> its TCVN3 character (lower case, and the capitals TCVN3 has)."""
    table: dict[str, str] = {}
    for letter, forms in _TCVN3_LOWER.items():
        for unicode_letter, code in zip(_toned(letter), forms, strict=True):
            table[unicode_letter] = code
    table.update(_TCVN3_CAPITALS)
    return table


UNICODE_TO_VNI = _vni_table()
UNICODE_TO_TCVN3 = _tcvn3_table()
_FROM_TCVN3 = {code: letter for letter, code in UNICODE_TO_TCVN3.items() if code != letter}
_FROM_VNI = {code: letter for letter, code in UNICODE_TO_VNI.items() if code != letter}
_VNI_PAIRS = {code: letter for code, letter in _FROM_VNI.items() if len(code) == 2}
_VNI_SINGLES = {code: letter for code, letter in _FROM_VNI.items() if len(code) == 1}


class Legacy(enum.Enum):
    TCVN3 = "tcvn3"
    TCVN3_CAPITALS = "tcvn3_capitals"  # .VnTimeH and the other capital fonts
    VNI = "vni"

    @property
    def label(self) -> str:
        return {"tcvn3": "TCVN3 (ABC)", "tcvn3_capitals": "TCVN3 (ABC), chữ hoa", "vni": "VNI"}[self.value]


def font_encoding(font_name: str | None) -> Legacy | None:
    """The legacy encoding a font stands for: ``.VnTime``, ``.VnArial`` and every ``.Vn…`` font -> TCVN3, their
    capital variants (the name ends in a capital H: ``.VnTimeH``, ``.VnArialH``) -> TCVN3 capitals, ``VNI-…`` fonts
    (VNI-Times, VNI-Helve…) -> VNI; anything else -> None."""
    name = (font_name or "").strip()
    folded = name.casefold()
    if folded.startswith(".vn"):
        return Legacy.TCVN3_CAPITALS if name.endswith("H") else Legacy.TCVN3
    if folded.startswith(("vni-", "vni ", "vni_")):
        return Legacy.VNI
    return None


def could_be_legacy(text: str) -> bool:
    """Legacy text is made of characters up to U+00FF, some of them beyond ASCII (else there is nothing to do)."""
    return not text.isascii() and max(text) <= "\xff"


def decode(text: str, encoding: Legacy) -> str:
    """Legacy text -> Unicode NFC. Text that cannot be legacy text (a letter beyond U+00FF) is returned as it is,
    except that a capital font's text is still upper-cased (that is how the person saw it)."""
    if encoding is Legacy.VNI:
        result = _decode_vni(text) if could_be_legacy(text) else text
    else:
        result = "".join(_FROM_TCVN3.get(char, char) for char in text) if could_be_legacy(text) else text
        if encoding is Legacy.TCVN3_CAPITALS:
            result = result.upper()
    return unicodedata.normalize("NFC", result)


def _decode_vni(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        pair = _VNI_PAIRS.get(text[i : i + 2])
        if pair is not None:
            out.append(pair)
            i += 2
            continue
        out.append(_VNI_SINGLES.get(text[i], text[i]))
        i += 1
    return "".join(out)


def encode(text: str, encoding: Legacy) -> str:
    """Unicode -> legacy text (for tests and for making sample files). TCVN3 has no toned capitals: they are written
    with the lower-case code points, as a capital font would draw them."""
    text = unicodedata.normalize("NFC", text)
    table = UNICODE_TO_VNI if encoding is Legacy.VNI else UNICODE_TO_TCVN3
    if encoding is Legacy.VNI:
        return "".join(table.get(char, char) for char in text)
    return "".join(table.get(char, table.get(char.lower(), char)) if not char.isascii() else char for char in text)


# CSV has no fonts, so the characters must tell. Evidence of TCVN3: code points it uses that neither VNI nor
# Unicode Vietnamese ever do (most of its toned letters sit in U+00A1–U+00BF). Evidence of VNI: a letter followed by
# a mark character where Vietnamese spelling never puts those two letters together ("eã", "aê", "oâ", "où"; not
# "oà" or "oá", which old-style Unicode writes in "hoà", "khoá"), or a word starting with "Ñ" (Đ).
_TCVN3_ONLY = re.compile("[\xa1-\xbf\xd0\xd7\xde\xdf\xf7\xfe]")
_VNI_PAIR = re.compile(
    "[ae][âáàåãä]|o[âåãä]|a[êéèúüë]|[aeiouyôö][ùøûõï]|[AE][ÂÁÀÅÃÄ]|O[ÂÅÃÄ]|A[ÊÉÈÚÜË]|[AEIOUYÔÖ][ÙØÛÕÏ]|(?<!\\w)Ñ"
)


def guess_encoding(text: str) -> Legacy | None:
    """For text without fonts (CSV): TCVN3 or VNI when it shows evidence of one, None when it shows none (Unicode,
    plain ASCII, or legacy text too short to tell). A heuristic: the converted value is always shown beside the
    original for the person to check."""
    if not could_be_legacy(text):
        return None
    tcvn3, vni = len(_TCVN3_ONLY.findall(text)), len(_VNI_PAIR.findall(text))
    if tcvn3 == vni == 0:
        return None
    return Legacy.TCVN3 if tcvn3 >= vni else Legacy.VNI
