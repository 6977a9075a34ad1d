"""The vendored Liberation Serif 2.x faces (metric-compatible with Times New Roman, full Vietnamese
coverage including ơ/ư, which Liberation 1.x lacks), registered once with ReportLab.

The DOCX builder uses the same metrics to size the Decree 30 rules, so both formats draw them alike.
"""

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "LiberationSerif"
FACES: dict[tuple[bool, bool], str] = {
    (False, False): "LiberationSerif",
    (True, False): "LiberationSerif-Bold",
    (False, True): "LiberationSerif-Italic",
    (True, True): "LiberationSerif-BoldItalic",
}
_FILES = {
    "LiberationSerif": "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold": "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic": "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}
_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the four faces and the family (so <b>/<i> in paragraphs pick the right face). Idempotent."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        for (bold, italic), name in FACES.items():
            addMapping(FAMILY, int(bold), int(italic), name)
        _registered = True


def face(bold: bool = False, italic: bool = False) -> str:
    register()
    return FACES[(bool(bold), bool(italic))]


def text_width_pt(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """Width of `text` in points, as Times New Roman would set it."""
    return pdfmetrics.stringWidth(text, face(bold, italic), size_pt)


def paragraph_rule_pt(runs, size_pt: float, ratio: float, text_width_pt_max: float) -> float:
    """Length of the rule under a paragraph: `ratio` of its widest line, at most half the text width."""
    width = sum(text_width_pt(r.text, r.size_pt or size_pt, r.bold, r.italic) for r in runs)
    return min(ratio * min(width, text_width_pt_max), text_width_pt_max / 2)


def rule_width_pt(run, default_size_pt: float, ratio: float) -> float:
    """Length of the Decree 30 rule under `run` (a `model.Run`): `ratio` times its widest line."""
    size = run.size_pt if run.size_pt is not None else default_size_pt
    lines = run.text.split("\n")
    return ratio * max(text_width_pt(line.strip(), size, run.bold, run.italic) for line in lines)
