"""Page geometry and typography shared by the DOCX and PDF builders (Decree 30/2020/NĐ-CP, Appendix I:
A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman 13–14 pt, page number at the
top centre from page 2)."""

from dataclasses import dataclass

CM_PER_INCH = 2.54
PT_PER_CM = 72 / CM_PER_INCH
TWIPS_PER_CM = 1440 / CM_PER_INCH

PAGE_WIDTH_CM = 21.0
PAGE_HEIGHT_CM = 29.7
MARGIN_TOP_CM = 2.0
MARGIN_BOTTOM_CM = 2.0
MARGIN_LEFT_CM = 3.0
MARGIN_RIGHT_CM = 1.5
TEXT_WIDTH_CM = PAGE_WIDTH_CM - MARGIN_LEFT_CM - MARGIN_RIGHT_CM  # 16.5
TEXT_HEIGHT_CM = PAGE_HEIGHT_CM - MARGIN_TOP_CM - MARGIN_BOTTOM_CM
# The page number sits in the top margin: DOCX header distance, PDF baseline from the top edge.
HEADER_DISTANCE_CM = 1.0
PAGE_NUMBER_BASELINE_CM = 1.3

FONT_NAME = "Times New Roman"  # DOCX; the PDF embeds its metric-compatible twin, Liberation Serif
BODY_PT = 14.0
TABLE_PT = 13.0
PAGE_NUMBER_PT = 13.0
LINE_HEIGHT = 1.15  # Word's "single" spacing for Times New Roman: (ascent + descent + gap) / em

# Table cells: padding in points (top/bottom, left/right) and rule thickness.
CELL_PAD_V_PT = 2.0
CELL_PAD_H_PT = 4.0
RULE_PT = 0.5
# Vertical gap after a table (in DOCX, the short paragraph Word needs between a table and what follows)
# and before a signature block.
BLOCK_GAP_PT = 6.0


@dataclass(frozen=True)
class HeadingSpec:
    align: str
    bold: bool
    italic: bool
    size_pt: float
    indent_cm: float
    space_before_pt: float
    space_after_pt: float


# An administrative report's outline: "I. KẾT QUẢ ..." centred, "1. ..." and "a) ..." at the indent.
HEADINGS: dict[int, HeadingSpec] = {
    1: HeadingSpec("center", True, False, BODY_PT, 0.0, 12, 6),
    2: HeadingSpec("justify", True, False, BODY_PT, 1.0, 6, 6),
    3: HeadingSpec("justify", True, True, BODY_PT, 1.0, 6, 6),
    4: HeadingSpec("justify", False, True, BODY_PT, 1.0, 6, 6),
}


def heading_spec(level: int) -> HeadingSpec:
    return HEADINGS[min(level, max(HEADINGS))]


def cm_to_pt(cm: float) -> float:
    return cm * PT_PER_CM


def cm_to_twips(cm: float) -> int:
    return round(cm * TWIPS_PER_CM)
