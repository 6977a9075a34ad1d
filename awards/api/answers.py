"""A report's answers as JSON, both ways. The shapes (docs/api.md), by the question's kind:

count: 12 · ratio: [3, 5] · yearly: {"2020": 4, "2021": 7} · narrative: "…" ·
yes_no: {"answer": true, "participants": "…"} ·
documents: [{"number": "…", "issued_on": "2024-05-21", "issuer": "…", "summary": "…"}] ·
cases: [{"title": "…", "occurred_on": "2023-02-01", "result": "…"}]

Reading turns what the selectors give into these; writing parses them into what `report_save_draft` takes,
which then applies the pages' own rules (a ratio's first number not above the second, years in the data
period…)."""

import datetime as dt

from django.utils.translation import gettext as _
from rest_framework.exceptions import ErrorDetail, ValidationError

from ..models import CaseRow, DocumentRow, ItemKind

EMPTY = (None, "", [], {})


def answer_json(kind: str, value):
    if value in EMPTY:
        return None
    if kind == ItemKind.RATIO:
        return list(value)
    if kind == ItemKind.YEARLY:
        return {str(year): count for year, count in sorted(value.items())}
    if kind == ItemKind.YES_NO:
        return {"answer": value[0], "participants": value[1]}
    if kind == ItemKind.DOCUMENTS:
        return [{"number": r.number, "issued_on": _iso(r.issued_on), "issuer": r.issuer, "summary": r.summary}
                for r in value]  # fmt: skip
    if kind == ItemKind.CASES:
        return [{"title": r.title, "occurred_on": _iso(r.occurred_on), "result": r.result} for r in value]
    return value


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


class Invalid(Exception):
    pass


def _whole(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(_("Enter a whole number, zero or more."))
    if not 0 <= value <= 2**53:
        raise Invalid(_("Enter a whole number, zero or more."))
    return value


def _text(row: dict, key: str, limit: int = 2000) -> str:
    value = row.get(key, "")
    return "" if value is None else _string(value, limit)


def _string(value, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise Invalid(_("Enter text of at most %(limit)s characters.") % {"limit": limit})
    if "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value):  # PostgreSQL stores neither
        raise Invalid(_("Null characters are not allowed."))
    return value


def _date(row: dict, key: str) -> dt.date | None:
    value = row.get(key)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else _bad_date()
    except ValueError:
        return _bad_date()


def _bad_date():
    raise Invalid(_("Enter a date as YYYY-MM-DD."))


def _rows(value, keys: set[str]) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value) or len(value) > 500:
        raise Invalid(_("Enter a list of rows (at most 500)."))
    for row in value:
        unknown = set(row) - keys
        if unknown:
            raise Invalid(
                _("Unknown field: this request does not accept it.") + f" ({', '.join(sorted(map(str, unknown)))})"
            )
    return value


def parse_answer(kind: str, value):
    """One answer from JSON into the service's shape; raises Invalid with the reason."""
    if value in EMPTY:
        return None
    if kind == ItemKind.COUNT:
        return _whole(value)
    if kind == ItemKind.RATIO:
        if not isinstance(value, list) or len(value) != 2:
            raise Invalid(_("Enter two whole numbers: [done, total]."))
        return (_whole(value[0]), _whole(value[1]))
    if kind == ItemKind.YEARLY:
        if not isinstance(value, dict):
            raise Invalid(_('Enter the counts by year: {"2020": 4}.'))
        years = {}
        for year, count in value.items():
            if not (isinstance(year, str) and year.isascii() and year.isdigit() and len(year) == 4):
                raise Invalid(_('Enter the counts by year: {"2020": 4}.'))
            years[int(year)] = _whole(count)
        return years
    if kind == ItemKind.NARRATIVE:
        return _string(value, 20000)
    if kind == ItemKind.YES_NO:
        if (
            not isinstance(value, dict)
            or not isinstance(value.get("answer"), bool)
            or set(value) - {"answer", "participants"}
        ):
            raise Invalid(_('Enter {"answer": true or false, "participants": "…"}.'))
        return (value["answer"], _text(value, "participants"))
    if kind == ItemKind.DOCUMENTS:
        rows = _rows(value, {"number", "issued_on", "issuer", "summary"})
        return [DocumentRow(_text(r, "number", 64), _date(r, "issued_on"), _text(r, "issuer", 255), _text(r, "summary"))
                for r in rows]  # fmt: skip
    if kind == ItemKind.CASES:
        rows = _rows(value, {"title", "occurred_on", "result"})
        return [CaseRow(_text(r, "title", 255), _date(r, "occurred_on"), _text(r, "result")) for r in rows]
    raise Invalid(_("This question is not part of your report."))


def parse_answers(answers: dict, kinds: dict[str, str]) -> dict:
    """Every answer parsed, or one ValidationError naming each wrong one by its path (answers.<code>)."""
    parsed, errors = {}, {}
    for code, value in answers.items():
        kind = kinds.get(code)
        if kind is None or kind == ItemKind.SECTION:
            errors[code] = [ErrorDetail(_("This question is not part of your report."), code="unknown_question")]
            continue
        try:
            parsed[code] = parse_answer(kind, value)
        except Invalid as problem:
            errors[code] = [ErrorDetail(str(problem), code="invalid")]
    if errors:
        raise ValidationError({"answers": errors})
    return parsed
