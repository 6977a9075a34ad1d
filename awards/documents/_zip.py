"""Re-zip an OOXML package so that the same content always gives the same bytes."""

import io
import struct
import zipfile

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FIRST = "[Content_Types].xml"  # readers expect it first

# DOS date of FIXED_DATE (its DOS time is 0): ((year - 1980) << 9) | (month << 5) | day.
_FIXED_DOS_DATE = ((FIXED_DATE[0] - 1980) << 9) | (FIXED_DATE[1] << 5) | FIXED_DATE[2]
_VERSION = 20  # "2.0": deflate, what zipfile writes for these entries
_ATTRIBUTES = 0o600 << 16  # what zipfile stores for an entry without permissions (`external_attr = 0`)
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile.structCentralDir
_END = struct.Struct("<4s4H2LH")  # zipfile.structEndArchive
_LIMIT = 0xFFFFFFFF  # beyond this a zip needs ZIP64 records: leave those to `normalise`


def _order(names: list[str]) -> list[str]:
    return sorted(names, key=lambda name: (name != FIRST, name))


def normalise(data: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """Copy every entry of the package `data` into a new zip: `[Content_Types].xml` first, then the
    others by name; fixed timestamp, permissions, creator system and compression level. `replace`
    swaps the content of named entries on the way (used to splice large XML without re-parsing)."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = _order(source.namelist())
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                content = replace[name] if name in replace else source.read(name)
                target.writestr(info, content, compresslevel=6)
    return out.getvalue()


def restamp(data: bytes) -> bytes:
    """What `normalise(data)` gives (same order, timestamp, permissions, creator system, headers),
    without inflating and deflating again: each entry's deflated bytes are copied as they are, so
    the result is stable as long as the writer deflates deterministically (XlsxWriter uses zipfile
    at zlib's default level, the level `normalise` uses). Packages with anything unusual (stored or
    encrypted entries, ZIP64 sizes) go through `normalise`."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = source.infolist()
    if len(infos) >= 0xFFFF or len(data) >= _LIMIT:
        return normalise(data)
    by_name = {}
    for info in infos:
        if (
            info.compress_type != zipfile.ZIP_DEFLATED
            or info.flag_bits & 0x1  # encrypted
            or max(info.compress_size, info.file_size, info.header_offset) >= _LIMIT
            or info.filename in by_name
        ):
            return normalise(data)
        by_name[info.filename] = info

    view = memoryview(data)
    parts: list = []
    central: list[bytes] = []
    offset = 0
    for name in _order(list(by_name)):
        info = by_name[name]
        start = info.header_offset
        fields = _LOCAL.unpack_from(data, start)
        if fields[0] != zipfile.stringFileHeader:
            return normalise(data)
        body = start + _LOCAL.size + fields[10] + fields[11]  # past the name and the extra field
        raw = view[body : body + info.compress_size]
        if len(raw) != info.compress_size:
            return normalise(data)
        encoded = name.encode("ascii") if name.isascii() else name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800  # UTF-8 name
        # flags, method, DOS time and date, CRC, sizes, name and extra-field lengths: both headers
        head = (flags, zipfile.ZIP_DEFLATED, 0, _FIXED_DOS_DATE, info.CRC, info.compress_size, info.file_size,
                len(encoded), 0)  # fmt: skip
        parts += [_LOCAL.pack(zipfile.stringFileHeader, _VERSION, 0, *head), encoded, raw]
        # + comment length, disk, internal attributes, external attributes, offset of the local header
        entry = _CENTRAL.pack(zipfile.stringCentralDir, _VERSION, 0, _VERSION, 0, *head, 0, 0, 0, _ATTRIBUTES, offset)
        central.append(entry + encoded)
        offset += _LOCAL.size + len(encoded) + info.compress_size
    directory = b"".join(central)
    end = _END.pack(zipfile.stringEndArchive, 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join([*parts, directory, end])
