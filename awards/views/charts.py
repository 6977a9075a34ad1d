"""Charts as data: each chart is what `static/tdkt/charts.js` draws (passed with `json_script`, so the CSP
holds), the table a click away, and a sentence that says what the chart shows, for screen readers and print.

A chart here is a dict: `id`, `title`, `summary` (the text alternative), `columns` and `rows` (the table,
numbers already written the Vietnamese way) and `spec` (what Chart.js needs: kind, labels, series).
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..text import group_digits


def grouped(value) -> str:
    """1234567 -> '1.234.567' in Vietnamese; a float keeps one decimal ('2,5')."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return number_format(value, decimal_pos=1, force_grouping=True)
    return group_digits(value)


def chart(*, id: str, title: str, summary: str, labels: list[str], series: list[tuple[str, list]], kind: str = "bar",
          stacked: bool = False, horizontal: bool = False, first_column: str = "", unit: str = "") -> dict:  # fmt: skip
    """One chart and its table: a row per label, a column per series."""
    columns = [first_column, *(name for name, _values in series)]
    rows = [[label, *(grouped(values[i]) for _name, values in series)] for i, label in enumerate(labels)]
    return {
        "id": id,
        "title": title,
        "summary": summary,
        "columns": columns,
        "rows": rows,
        "spec": {
            "kind": kind,
            "stacked": stacked,
            "horizontal": horizontal,
            "unit": unit,
            "labels": labels,
            "series": [{"name": name, "values": values} for name, values in series],
        },
    }


def listing(pairs: list[tuple[str, object]]) -> str:
    """'A: 1.234; B: 5' for a text alternative."""
    return "; ".join(_("%(label)s: %(value)s") % {"label": label, "value": grouped(value)} for label, value in pairs)


def yearly_summary(years: dict[int, int]) -> str:
    """What a per-year chart shows, in a sentence: first and last year, the highest, the total."""
    if not years:
        return _("No figures yet.")
    ordered = sorted(years.items())
    (first_year, first), (last_year, last) = ordered[0], ordered[-1]
    top_year, top = max(ordered, key=lambda kv: (kv[1], -kv[0]))
    return _(
        "From %(first)s in %(first_year)s to %(last)s in %(last_year)s; highest %(top)s in %(top_year)s; "
        "%(total)s in all."
    ) % {
        "first": grouped(first), "first_year": first_year, "last": grouped(last), "last_year": last_year,
        "top": grouped(top), "top_year": top_year, "total": grouped(sum(years.values())),
    }  # fmt: skip


def yearly_chart(*, code: str, title: str, years: dict[int, int], unit: str = "") -> dict:
    labels = [str(year) for year in sorted(years)]
    return chart(
        id=f"yearly-{code}", title=title, summary=yearly_summary(years), labels=labels,
        series=[(unit or _("Number"), [years[int(y)] for y in labels])], first_column=_("Year"), unit=unit,
    )  # fmt: skip
