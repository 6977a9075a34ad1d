"""Template workbooks for imports: a data sheet (bold frozen header, typed columns, drop-down lists, a prompt on
each header), an instructions sheet, and a hidden sheet holding the lists the drop-downs read (a list written
inside a validation is limited to 255 characters; a range is not). XlsxWriter, like every workbook we write;
same input, same bytes."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

DATE_FORMAT = "dd/mm/yyyy"
FORMULA_STARTS = frozenset("=+-@\t\r")  # a sample starting so is written with Excel's quote prefix
_FONT = {"font_name": "Times New Roman", "font_size": 12}


@dataclass(frozen=True)
class TemplateColumn:
    title: str
    width: float = 20  # characters
    required: bool = False
    choices: Sequence[str] = ()  # a drop-down list
    kind: str = "text"  # text, date (dd/mm/yyyy), id (kept as text: leading zeros), number
    hint: str = ""  # shown when the cell is selected

    @property
    def header(self) -> str:
        return f"{self.title} (*)" if self.required else self.title


def build_template(
    *, sheet: str, columns: Sequence[TemplateColumn], instructions: Sequence[str], rows: int,
    instructions_sheet: str = "Hướng dẫn", lists_sheet: str = "Danh mục", samples: Sequence[Sequence[object]] = (),
    created: dt.datetime | None = None, title: str = "",
) -> bytes:  # fmt: skip
    """The template: `rows` rows formatted and validated under the header, `samples` filled in first."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})  # fmt: skip
    workbook.set_properties({"title": title, "created": created or dt.datetime(2024, 1, 1)})
    header = workbook.add_format({**_FONT, "bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                  "text_wrap": True, "bg_color": "#DDEBF7"})  # fmt: skip
    formats = {
        "text": workbook.add_format({**_FONT, "num_format": "@"}),
        "id": workbook.add_format({**_FONT, "num_format": "@"}),
        "date": workbook.add_format({**_FONT, "num_format": DATE_FORMAT}),
        "number": workbook.add_format({**_FONT, "num_format": "0"}),
        "quoted": workbook.add_format({**_FONT, "num_format": "@", "quote_prefix": True}),
    }
    data = workbook.add_worksheet(sheet)
    guide = workbook.add_worksheet(instructions_sheet)
    lists = workbook.add_worksheet(lists_sheet)
    lists.hide()
    data.set_row(0, 36)
    data.freeze_panes(1, 0)
    list_column = 0
    for index, column in enumerate(columns):
        data.set_column(index, index, column.width, formats.get(column.kind, formats["text"]))
        data.write_string(0, index, column.header, header)
        if column.hint:
            data.data_validation(0, index, 0, index, {"validate": "any", "input_title": column.title[:32],
                                                      "input_message": column.hint[:255]})  # fmt: skip
        if column.choices:
            for position, choice in enumerate(column.choices):
                lists.write_string(position, list_column, str(choice))
            letter = xl_col_to_name(list_column)
            source = f"='{lists_sheet}'!${letter}$1:${letter}${len(column.choices)}"
            data.data_validation(1, index, rows, index, {
                "validate": "list", "source": source, "ignore_blank": True,
                "error_title": column.title[:32], "error_message": "Chọn một giá trị trong danh sách.",
                "error_type": "warning",  # a warning, not a stop: a pasted value is still checked by the import
            })  # fmt: skip
            list_column += 1
    for row, values in enumerate(samples, start=1):
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                data.write_datetime(row, index, dt.datetime(value.year, value.month, value.day), formats["date"])
            elif str(value)[:1] in FORMULA_STARTS:  # text that looks like a formula stays text when edited
                data.write_string(row, index, str(value), formats["quoted"])
            else:
                data.write_string(row, index, str(value), formats.get(columns[index].kind, formats["text"]))
    guide.set_column(0, 0, 110, workbook.add_format({**_FONT, "text_wrap": True, "valign": "top"}))
    bold = workbook.add_format({**_FONT, "bold": True, "font_size": 14})
    for row, line in enumerate(instructions):
        if row == 0:
            guide.write_string(row, 0, line, bold)
        else:
            guide.write_string(row, 0, line)
    data.activate()
    workbook.close()
    return out.getvalue()
