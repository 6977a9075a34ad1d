"""Reading a report form: text typed by people -> the typed answers the services accept.

Numbers may be typed Vietnamese-style ("1.234"), English-style ("1,234") or with spaces; dates as
dd/mm/yyyy. Each field is parsed on its own so that one bad entry never blocks saving the others.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _

from ..models import Campaign, CaseRow, DocumentRow, ItemKind, OutlineItem
from ..text import group_digits, is_ascii_digits, nfc

# Groups of three after the first, all split by the same separator: "1.234.567", "1,234", "1 234".
_GROUPED = re.compile(r"^[0-9]{1,3}([.,\s\u00a0])[0-9]{3}(\1[0-9]{3})*$")


# The largest figure each kind of answer holds (its column): a count or a yearly figure, a ratio's two numbers.
BIGGEST_COUNT = 9_223_372_036_854_775_807
BIGGEST_RATIO = 2_147_483_647
# The document table's columns (AnswerDocument): number and symbol, issuing body.
DOCUMENT_LIMITS = {"number": 64, "issuer": 255}


def parse_count(raw: str, biggest: int = BIGGEST_COUNT) -> int | None:
    """'1.234', '1,234', '1 234' and '1234' are all 1234; empty is None; anything else is an error."""
    text = nfc(raw).replace("\u202f", " ")
    if text == "":
        return None
    if is_ascii_digits(text):
        return _within(int(text), biggest)
    if _GROUPED.match(text):
        return _within(int(re.sub(r"[.,\s\u00a0]", "", text)), biggest)
    if text.startswith("-") and is_ascii_digits(text[1:].strip()):
        raise forms.ValidationError(_("Enter a whole number, zero or more."))
    raise forms.ValidationError(_("“%(value)s” is not a whole number. Type digits only, e.g. 1.234.") % {"value": text})


def _within(value: int, biggest: int) -> int:
    if value > biggest:
        raise forms.ValidationError(
            _("%(value)s is too large: at most %(biggest)s.")
            % {"value": group_digits(value), "biggest": group_digits(biggest)}
        )
    return value


def parse_date(raw: str) -> dt.date | None:
    text = nfc(raw)
    if not text:
        return None
    return forms.DateField().clean(text)


@dataclass
class ParsedReport:
    answers: dict[str, object] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


def field_name(item: OutlineItem, *parts: object) -> str:
    return "-".join(["a", item.code, *map(str, parts)])


def _rows(data, item: OutlineItem, columns: tuple[str, ...]) -> list[dict[str, str]]:
    rows, index = [], 0
    while True:
        names = [field_name(item, index, column) for column in columns]
        if not any(name in data for name in names):
            return rows
        rows.append({column: nfc(data.get(name, "")) for column, name in zip(columns, names, strict=True)})
        index += 1


def parse_report(data, items: list[OutlineItem], campaign: Campaign) -> ParsedReport:
    """Parse the posted fields of the items present in the form; absent items are left alone."""
    parsed = ParsedReport()
    for item in items:
        try:
            value, present = _parse_item(data, item, campaign)
        except forms.ValidationError as error:
            parsed.errors[item.code] = error.messages
            continue
        if present:
            parsed.answers[item.code] = value
    return parsed


def _parse_item(data, item: OutlineItem, campaign: Campaign) -> tuple[object, bool]:
    kind = item.kind
    if kind == ItemKind.COUNT:
        name = field_name(item)
        return (parse_count(data.get(name, "")), name in data)
    if kind == ItemKind.RATIO:
        done_name, total_name = field_name(item, "x"), field_name(item, "y")
        done = parse_count(data.get(done_name, ""), BIGGEST_RATIO)
        total = parse_count(data.get(total_name, ""), BIGGEST_RATIO)
        if done is None and total is None:
            return None, done_name in data
        if done is None or total is None:
            raise forms.ValidationError(_("Enter both numbers, e.g. 13 of 15."))
        return (done, total), True
    if kind == ItemKind.YEARLY:
        values, present = {}, False
        for year in campaign.data_years:
            name = field_name(item, year)
            present = present or name in data
            count = parse_count(data.get(name, ""))
            if count is not None:
                values[year] = count
        return values, present
    if kind == ItemKind.DOCUMENTS:
        rows = _rows(data, item, ("number", "date", "issuer", "summary"))
        documents = []
        for row in rows:
            if not any(row.values()):
                continue
            if not row["number"] or not row["summary"]:
                raise forms.ValidationError(_("Each document needs its number and its summary."))
            for column, longest in DOCUMENT_LIMITS.items():
                if len(row[column]) > longest:
                    raise forms.ValidationError(
                        _("“%(value)s…” is too long: at most %(longest)s characters.")
                        % {"value": row[column][:30], "longest": longest}
                    )
            documents.append(DocumentRow(row["number"], parse_date(row["date"]), row["issuer"], row["summary"]))
        return documents, bool(rows)
    if kind == ItemKind.CASES:
        rows = _rows(data, item, ("title", "date", "result"))
        cases = []
        for row in rows:
            if not any(row.values()):
                continue
            if not row["title"]:
                raise forms.ValidationError(_("Each case needs a description."))
            cases.append(CaseRow(row["title"], parse_date(row["date"]), row["result"]))
        return cases, bool(rows)
    if kind == ItemKind.YES_NO:
        name = field_name(item)
        choice = data.get(name, "")
        participants = nfc(data.get(field_name(item, "participants"), ""))
        if choice == "":
            return None, name in data or field_name(item, "participants") in data
        if choice not in ("yes", "no"):
            raise forms.ValidationError(_("Choose yes or no."))
        return (choice == "yes", participants), True
    if kind == ItemKind.NARRATIVE:
        name = field_name(item)
        return nfc(data.get(name, "")), name in data
    return None, False


# Rendering: what each input shows (the posted text when the page comes back with errors).

EXTRA_ROWS = 2


def _shown(posted, name: str, saved: object) -> str:
    if posted is not None and name in posted:
        return posted.get(name, "")
    if isinstance(saved, int) and not isinstance(saved, bool):
        return group_digits(saved)  # shown as typed: 1.234.567
    return "" if saved is None else str(saved)


def _date_text(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def form_rows(sheet: list[dict], posted, campaign: Campaign, errors: dict[str, list[str]]) -> list[dict]:
    """One dict per outline item with the names and values its inputs show."""
    rows = []
    for entry in sheet:
        item, answer = entry["item"], entry["answer"]
        row = {"item": item, "errors": errors.get(item.code, []), "comments": entry["comments"]}
        kind = item.kind
        if kind in (ItemKind.COUNT, ItemKind.NARRATIVE):
            row["name"] = field_name(item)
            row["value"] = _shown(posted, row["name"], answer)
        elif kind == ItemKind.RATIO:
            done, total = answer if answer else (None, None)
            row["x"] = {"name": field_name(item, "x"), "value": _shown(posted, field_name(item, "x"), done)}
            row["y"] = {"name": field_name(item, "y"), "value": _shown(posted, field_name(item, "y"), total)}
        elif kind == ItemKind.YEARLY:
            saved = answer or {}
            row["years"] = [
                {
                    "year": year,
                    "name": field_name(item, year),
                    "value": _shown(posted, field_name(item, year), saved.get(year)),
                }
                for year in campaign.data_years
            ]
        elif kind in (ItemKind.DOCUMENTS, ItemKind.CASES):
            columns = (
                ("number", "date", "issuer", "summary") if kind == ItemKind.DOCUMENTS else ("title", "date", "result")
            )
            saved_rows = answer or []
            count = max(len(saved_rows) + EXTRA_ROWS, len(_rows(posted, item, columns)) if posted is not None else 0)
            table = []
            for index in range(count):
                saved = saved_rows[index] if index < len(saved_rows) else None
                values = {}
                for column in columns:
                    attribute = {"date": "issued_on" if kind == ItemKind.DOCUMENTS else "occurred_on"}.get(
                        column, column
                    )
                    raw = getattr(saved, attribute, None) if saved else None
                    raw = _date_text(raw) if column == "date" else raw
                    name = field_name(item, index, column)
                    values[column] = {"name": name, "value": _shown(posted, name, raw)}
                table.append(values)
            row["table"] = table
        elif kind == ItemKind.YES_NO:
            choice = "" if answer is None else ("yes" if answer[0] else "no")
            row["name"] = field_name(item)
            row["value"] = _shown(posted, row["name"], choice)
            name = field_name(item, "participants")
            row["participants"] = {"name": name, "value": _shown(posted, name, answer[1] if answer else None)}
        rows.append(row)
    return rows
