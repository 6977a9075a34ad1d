"""Re-zip an OOXML package so that the same content always gives the same bytes."""

import io
import zipfile

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FIRST = "[Content_Types].xml"  # readers expect it first


def normalise(data: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """Copy every entry of the package `data` into a new zip: `[Content_Types].xml` first, then the
    others by name; fixed timestamp, permissions, creator system and compression level. `replace`
    swaps the content of named entries on the way (used to splice large XML without re-parsing)."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = sorted(source.namelist(), key=lambda name: (name != FIRST, name))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                content = replace[name] if name in replace else source.read(name)
                target.writestr(info, content, compresslevel=6)
    return out.getvalue()
