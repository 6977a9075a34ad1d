"""Reading people's spreadsheets safely: the toolkit every import uses (no database, nothing of the product).

- ``legacy``: the pre-Unicode Vietnamese encodings (TCVN3/ABC, VNI) and how to recognise them,
- ``cells``: what a cell means (dates typed or stored every way, citizen IDs that lost their leading zero,
  headers matched whatever their order, accents or spacing),
- ``xlsx``: an uploaded workbook read in openpyxl's read-only mode after its archive was bounded, with merged
  cells filled, formulas kept as text and legacy text converted (the original kept beside it),
- ``template``: a template workbook with an instructions sheet, drop-down lists and typed columns.

The nominee import (``awards.services.imports``) is the first user; the administrator's imports reuse it.
"""
