"""Hardened file uploads: a streaming size cap, content and structure checks, safe storage and safe downloads.

Why (docs/architecture.md, fact 8): Django has no per-file size cap; sniffing the type alone accepted a 2-entry fake DOCX; a
0.31 MB XLSX that expands to 315 MB kept openpyxl busy for over 100 s. So every upload is

1. capped while it streams (``limit_uploads`` / ``install_upload_limit`` put ``LimitedUploadHandler`` first),
2. checked by ``validate_upload``: the last extension, the magic bytes and the structure (a ZIP's declared
   sizes and entry count are summed from its central directory before anything is decompressed; XML is parsed
   with defusedxml), the content type and extension coming from the content, never from the browser,
3. stored by ``store_upload`` under a generated name (never the user's), hashed while it streams,
4. served by ``download_response`` as an attachment that browsers neither sniff nor render.

A view (function-based, synchronous)::

    @limit_uploads(kind=UploadKind.SCAN)   # csrf_exempt outside, the limit installed, then csrf_protect inside
    def upload_scan(request, pk):
        form = ScanForm(request.POST or None, request.FILES or None)  # ScanForm.clean_scan: validate_upload()
        if request.method == "POST" and not attach_upload_refusal(request=request, form=form, field="scan"):
            if form.is_valid():
                stored = store_upload(uploaded_file=form.cleaned_data["scan"], detected=form.detected_scan)
                ...  # keep stored.relative_path, .sha256, .size, .content_type and the original name on a model
                return redirect(...)
        return render(request, "awards/scan_form.html", {"form": form})  # "The file is larger than 25 MB."

Deployment: Django's early refusal saves Django's worker, memory and disk; the network transfer is bounded by
the reverse proxy. Set nginx ``client_max_body_size`` to about twice the largest request (e.g. ``64m``): a file
a little over the cap reaches Django and gets the form's translated message, an absurd body is cut by the proxy
with its own 413 page. nginx buffers request bodies by default, so the browser always receives Django's answer;
without a buffering proxy, a server that answers early and closes the connection may make some browsers show
"connection reset" instead. Under ASGI, Django reads the whole body before the view runs, so only the proxy's
cap streams there; the checks of this module still apply.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import re
import struct
import tempfile
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import IO, Any, BinaryIO
from urllib.parse import quote
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree
from asgiref.sync import iscoroutinefunction
from django.core import signing
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import models
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParser
from django.utils import formats, timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# ---------------------------------------------------------------------------------------------------------------
# Limits: module constants so that they are easy to find and change (tests monkeypatch them).
# ---------------------------------------------------------------------------------------------------------------

MB = 1024 * 1024
SCAN_MAX_BYTES = 25 * MB  # the signed and stamped report, scanned to PDF
SUPPORTING_MAX_BYTES = 20 * MB  # supporting documents: PDF, DOCX, XLSX, JPEG, PNG
# Room for the multipart framing and the ordinary form fields sent with the file(s). When a request declares a
# body larger than files + this allowance, at most this many bytes are read (to keep the CSRF token and the
# fields typed before the file input) and the rest is never read.
FORM_FIELDS_ALLOWANCE = 1 * MB

# ZIP-based office files (DOCX, XLSX): checked from the central directory before anything is decompressed.
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_CENTRAL_DIRECTORY_BYTES = 1 * MB  # ~500 bytes per entry at the entry cap; bounds zipfile's own parsing
MAX_ZIP_UNCOMPRESSED_BYTES = 100 * MB  # sum of the declared uncompressed sizes
MAX_ZIP_COMPRESSION_RATIO = 100  # per entry, uncompressed : compressed
ZIP_RATIO_CHECKED_FROM_BYTES = 1 * MB  # small entries cannot blow anything up; the sum above still bounds them
MAX_CONTENT_TYPES_BYTES = 1 * MB  # [Content_Types].xml is a few KB in real files

# Images: an A3 page scanned at 600 dpi is about 70 megapixels.
MAX_IMAGE_PIXELS = 100_000_000

UPLOAD_DIR = "uploads"  # in the default storage (docs/documents.md, "Where files live")


class UploadKind(models.TextChoices):
    """What an upload is for; each kind accepts some formats up to a size cap (``max_bytes_for``)."""

    SCAN = "scan", gettext_lazy("Signed and stamped report scan")
    SUPPORTING = "supporting", gettext_lazy("Supporting document")


def max_bytes_for(kind: UploadKind | str | None) -> int:
    """The size cap of a kind, read from the module constants at call time; without a kind, the largest cap."""
    caps = {UploadKind.SCAN: SCAN_MAX_BYTES, UploadKind.SUPPORTING: SUPPORTING_MAX_BYTES}
    if kind is None:
        return max(caps.values())
    return caps[UploadKind(kind)]


# ---------------------------------------------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileFormat:
    """A format we accept: the names users give it, and what we store and serve it as."""

    key: str
    label: str  # technical name shown inside translated messages ("PDF", "Word (DOCX)")
    content_type: str
    extension: str  # the extension we store it under
    extensions: frozenset[str]  # extensions accepted on the user's file name (lower case, no dot)


PDF = FileFormat("pdf", "PDF", "application/pdf", "pdf", frozenset({"pdf"}))
DOCX = FileFormat(
    "docx",
    "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    frozenset({"docx"}),
)
XLSX = FileFormat(
    "xlsx",
    "Excel (XLSX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    frozenset({"xlsx"}),
)
JPEG = FileFormat("jpeg", "JPEG", "image/jpeg", "jpg", frozenset({"jpg", "jpeg"}))
PNG = FileFormat("png", "PNG", "image/png", "png", frozenset({"png"}))

FORMATS: dict[str, FileFormat] = {fmt.key: fmt for fmt in (PDF, DOCX, XLSX, JPEG, PNG)}
FORMATS_BY_KIND: dict[UploadKind, tuple[FileFormat, ...]] = {
    UploadKind.SCAN: (PDF,),
    UploadKind.SUPPORTING: (PDF, DOCX, XLSX, JPEG, PNG),
}
CONTENT_TYPE_BY_EXTENSION: dict[str, str] = {fmt.extension: fmt.content_type for fmt in FORMATS.values()}

# Office Open XML: the main part of each format and its content type in [Content_Types].xml.
_OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_OOXML_MAIN_TYPE = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_OOXML_MACRO_TYPES = {
    "application/vnd.ms-word.document.macroenabled.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
    "application/vnd.ms-excel.sheet.macroenabled.main+xml",
    "application/vnd.ms-excel.template.macroenabled.main+xml",
    "application/vnd.ms-excel.sheet.binary.macroenabled.main",
}
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: old .doc/.xls, and password-protected .docx/.xlsx
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_EXECUTABLE_MAGICS = (
    b"MZ",  # Windows PE/DOS
    b"\x7fELF",  # Linux
    b"#!",  # scripts
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
)


@dataclass(frozen=True)
class DetectedFile:
    """What ``validate_upload`` found in the content. ``original_name`` is for display and download names only,
    never for a path on disk."""

    kind: UploadKind
    format: str  # a key of FORMATS
    content_type: str  # from the content, never from the browser's Content-Type header
    extension: str  # safe extension to store under, from the content
    size: int
    original_name: str
    pages: int | None = None  # PDF
    width: int | None = None  # JPEG, PNG
    height: int | None = None


@dataclass(frozen=True)
class StoredFile:
    """Where ``store_upload`` put a file: ``relative_path`` is its name in the default storage."""

    relative_path: str
    sha256: str
    size: int
    content_type: str
    extension: str


# ---------------------------------------------------------------------------------------------------------------
# 1. Streaming size cap
# ---------------------------------------------------------------------------------------------------------------


def megabytes(value: int) -> str:
    """A byte count as megabytes for messages: "25", or "1,5" in Vietnamese when not whole."""
    if value % MB == 0:
        return str(value // MB)
    return formats.number_format(round(value / MB, 1), decimal_pos=1)


class _SkipEveryFile(FileUploadHandler):
    """Used to parse the fields that precede the file(s) in a refused request: files are skipped, not kept."""

    def __init__(self) -> None:
        super().__init__(None)
        self.file_fields: list[str] = []

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        self.file_fields.append(field_name)
        raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:  # pragma: no cover - never reached
        raise SkipFile

    def file_complete(self, file_size: int) -> None:  # pragma: no cover - never reached
        return None


class LimitedUploadHandler(FileUploadHandler):
    """Refuses uploads over a size cap as early as possible, without ever holding a whole file in memory.

    Two checks, because Content-Length can be trusted to be an upper bound (the server never reads past it) but
    not to be small:

    * ``handle_raw_input``: the request declares more than ``max_request_bytes`` (the files plus
      FORM_FIELDS_ALLOWANCE). The file bytes are never read: at most FORM_FIELDS_ALLOWANCE bytes are read so
      that the CSRF token and the fields typed *before* the file input survive (a refused form can then be shown
      again with what the user typed); the fields after the file input, and the file itself, are lost. The rest
      of the body is left unread (the development server drains it after answering; see the module docstring
      for production).
    * ``receive_data_chunk``: counts the bytes of each file as they stream and skips the file (``SkipFile``)
      as soon as it passes ``max_bytes``. Django then discards the rest of that file part (bounded by the
      Content-Length check above), deletes the partial temporary file at once, and keeps parsing: every other
      field is kept.

    Either way the refusal is recorded on the request for the view: ``request.upload_refused = "too_large"``,
    ``request.upload_refused_fields`` (the file fields concerned, when known) and ``request.upload_limit_bytes``;
    ``upload_refusal(request)`` turns it into a translated ValidationError, ``attach_upload_refusal`` puts it
    on a form.

    Being first in ``request.upload_handlers``, it sees each chunk before Django's memory and temporary-file
    handlers, which keep their own policy (memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, a temporary file above).
    """

    def __init__(self, request: HttpRequest | None = None, *, max_bytes: int, max_request_bytes: int | None = None):
        super().__init__(request)
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        self.max_bytes = max_bytes
        self.max_request_bytes = max_bytes + FORM_FIELDS_ALLOWANCE if max_request_bytes is None else max_request_bytes
        self.refused: str | None = None
        self.refused_fields: list[str] = []

    def _refuse(self, field_names: Iterable[str]) -> None:
        self.refused = "too_large"
        for name in field_names:
            if name not in self.refused_fields:
                self.refused_fields.append(name)
        if self.request is not None:
            self.request.upload_refused = self.refused
            self.request.upload_refused_fields = list(self.refused_fields)
            self.request.upload_limit_bytes = self.max_bytes

    def handle_raw_input(
        self, input_data: Any, META: dict[str, Any], content_length: int, boundary: bytes, encoding: str | None = None
    ) -> tuple[QueryDict, MultiValueDict] | None:
        if content_length <= self.max_request_bytes:
            return None  # parse normally; receive_data_chunk still counts
        post, file_fields = _leading_fields(
            input_data=input_data, meta=META, boundary=boundary, encoding=encoding, budget=FORM_FIELDS_ALLOWANCE
        )
        self._refuse(file_fields)
        return post, MultiValueDict()

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        if content_length is not None and content_length > self.max_bytes:  # declared per part (rarely sent)
            self._refuse([field_name])
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.max_bytes:
            self._refuse([self.field_name])
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # Django's own handlers, after this one, build the UploadedFile


def _leading_fields(
    *, input_data: Any, meta: dict[str, Any], boundary: bytes, encoding: str | None, budget: int
) -> tuple[QueryDict, list[str]]:
    """Parse the complete non-file parts within the first ``budget`` bytes of a multipart body.

    Only parts that end before the budget are kept (a field cut in the middle would be saved truncated), files
    are skipped; Django's own parser does the work, so DATA_UPLOAD_MAX_NUMBER_FIELDS and friends still apply.
    Returns the fields and the names of the file fields seen (including a file part cut by the budget).
    """
    chunks: list[bytes] = []
    remaining = budget
    while remaining > 0:
        chunk = input_data.read(min(remaining, 64 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    prefix = b"".join(chunks)
    delimiter = b"\r\n--" + boundary
    cut = prefix.rfind(delimiter)
    file_fields: list[str] = []
    tail_field = _file_field_of_part(prefix[cut + len(delimiter) :] if cut >= 0 else prefix)
    if cut < 0:
        return QueryDict(encoding=encoding), [tail_field] if tail_field else []
    body = prefix[:cut] + delimiter + b"--\r\n"
    skipper = _SkipEveryFile()
    parser = MultiPartParser({**meta, "CONTENT_LENGTH": str(len(body))}, io.BytesIO(body), [skipper], encoding)
    post, _files = parser.parse()
    file_fields.extend(skipper.file_fields)
    if tail_field and tail_field not in file_fields:
        file_fields.append(tail_field)
    return post, file_fields


def _file_field_of_part(part: bytes) -> str | None:
    """The field name of a (possibly truncated) multipart part, if its headers are complete and it is a file."""
    head, separator, _rest = part.partition(b"\r\n\r\n")
    if not separator or len(head) > 8 * 1024:
        return None
    for line in head.split(b"\r\n"):
        header, _colon, value = line.partition(b":")
        if header.strip().lower() == b"content-disposition":
            _disposition, params = parse_header_parameters(value.decode("utf-8", "replace"))
            if "filename" in params and params.get("name"):
                return params["name"]
    return None


def install_upload_limit(request: HttpRequest, *, max_bytes: int, max_files: int = 1) -> LimitedUploadHandler:
    """Put a LimitedUploadHandler first in ``request.upload_handlers``.

    Must run before anything reads ``request.POST`` or ``request.FILES`` (Django parses the body once, with the
    handlers present at that moment); it raises RuntimeError otherwise instead of silently not limiting. The
    CSRF middleware reads POST before the view runs, so a view using this helper directly must be
    ``csrf_exempt`` and call a ``csrf_protect``-ed function after installing the limit, as ``limit_uploads``
    does. The request may declare up to ``max_files`` files of ``max_bytes`` plus FORM_FIELDS_ALLOWANCE.
    """
    if hasattr(request, "_files"):
        raise RuntimeError(
            "install_upload_limit() must run before request.POST or request.FILES is read: "
            "the body has already been parsed without the limit."
        )
    if max_files < 1:
        raise ValueError("max_files must be at least 1")
    handler = LimitedUploadHandler(
        request, max_bytes=max_bytes, max_request_bytes=max_bytes * max_files + FORM_FIELDS_ALLOWANCE
    )
    request.upload_handlers.insert(0, handler)
    request.upload_refused = None
    request.upload_refused_fields = []
    request.upload_limit_bytes = max_bytes
    return handler


ViewFunc = Callable[..., HttpResponse]


def limit_uploads(
    view: ViewFunc | None = None,
    /,
    *,
    kind: UploadKind | str | None = None,
    max_bytes: int | None = None,
    max_files: int = 1,
) -> Any:
    """Decorator for views receiving uploads: installs the size cap, then enforces CSRF.

    ``@limit_uploads`` (largest cap), ``@limit_uploads(kind=UploadKind.SCAN)`` or ``@limit_uploads(max_bytes=...)``.
    Django's documented pattern for custom upload handlers: the view is ``csrf_exempt`` (so that the CSRF
    middleware does not read POST before the handler is in place) and the real view is wrapped in
    ``csrf_protect``, which runs exactly the middleware's check once the limit is installed. CSRF stays
    enforced. Synchronous views only (under ASGI the body is read before the view anyway). For a class-based
    view: ``method_decorator(limit_uploads(kind=...), name="dispatch")``.
    """

    def decorator(view_func: ViewFunc) -> ViewFunc:
        if iscoroutinefunction(view_func):
            raise TypeError("limit_uploads() supports synchronous views only")
        protected = csrf_protect(view_func)

        @wraps(view_func)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            install_upload_limit(
                request, max_bytes=max_bytes if max_bytes is not None else max_bytes_for(kind), max_files=max_files
            )
            return protected(request, *args, **kwargs)

        return csrf_exempt(limited)

    if view is not None:
        return decorator(view)
    return decorator


def upload_refusal(request: HttpRequest) -> ValidationError | None:
    """The streaming cap's refusal as a translated ValidationError (code "too_large") for ``form.add_error``,
    or None when nothing was refused."""
    if getattr(request, "upload_refused", None) is None:
        return None
    limit = getattr(request, "upload_limit_bytes", 0)
    return ValidationError(
        _("The file is larger than %(limit)s MB."), code="too_large", params={"limit": megabytes(limit)}
    )


def attach_upload_refusal(*, request: HttpRequest, form: Any, field: str) -> bool:
    """Show the streaming cap's refusal on a bound form; return True when there was one (the form is then invalid).

    The refused file never reached ``request.FILES``, so the form would say "This field is required."; that error
    is replaced by the size message on the refused file field(s) (``field`` when the request did not say which).
    The other fields keep their values and their own validation errors, so the form can be shown again as typed.
    """
    refusal = upload_refusal(request)
    if refusal is None:
        return False
    errors = form.errors  # runs the form's validation once
    refused = [name for name in getattr(request, "upload_refused_fields", []) if name in form.fields] or [field]
    for name in refused:
        errors.pop(name, None)
        form.add_error(name, refusal)
    return True


# ---------------------------------------------------------------------------------------------------------------
# 2. Content and structure
# ---------------------------------------------------------------------------------------------------------------


def validate_upload(*, uploaded_file: UploadedFile, kind: UploadKind | str) -> DetectedFile:
    """Check an upload by name, size, content and structure; return what it really is.

    Raises ValidationError with a translated message and a code: "extension", "empty", "too_large",
    "executable", "not_format", "damaged", "encrypted", "legacy_or_encrypted", "no_pages",
    "archive_too_many_entries", "archive_bomb", "archive_unsafe", "archive_missing_part", "macros",
    "image_too_large". The browser's Content-Type header is ignored: it is whatever the client says.
    """
    kind = UploadKind(kind)
    original_name = unicodedata.normalize("NFC", uploaded_file.name or "")
    fmt = _format_for_name(name=original_name, allowed=FORMATS_BY_KIND[kind])
    size = _size_of(uploaded_file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = max_bytes_for(kind)
    if size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s MB."), code="too_large", params={"limit": megabytes(limit)}
        )
    stream = _stream_of(uploaded_file)
    stream.seek(0)
    head = stream.read(16)
    params = {"format": fmt.label, "extension": _last_extension(original_name)}
    if any(head.startswith(magic) for magic in _EXECUTABLE_MAGICS):
        raise ValidationError(
            _("This file is a program, not a %(format)s document, and cannot be accepted."),
            code="executable",
            params=params,
        )
    detected: dict[str, Any] = {}
    try:
        if fmt is PDF:
            detected["pages"] = _check_pdf(stream=stream, head=head, params=params)
        elif fmt in (DOCX, XLSX):
            _check_ooxml(stream=stream, head=head, fmt=fmt, size=size, params=params)
        elif fmt is JPEG:
            detected["width"], detected["height"] = _check_jpeg(stream=stream, head=head, size=size, params=params)
        elif fmt is PNG:
            detected["width"], detected["height"] = _check_png(stream=stream, head=head, params=params)
    finally:
        stream.seek(0)
    return DetectedFile(
        kind=kind,
        format=fmt.key,
        content_type=fmt.content_type,
        extension=fmt.extension,
        size=size,
        original_name=original_name,
        **detected,
    )


def _last_extension(name: str) -> str:
    """The last extension, lower case, without the dot ("" when there is none): "a.pdf.exe" -> "exe"."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in base.strip("."):
        return ""
    return base.rsplit(".", 1)[1].strip().lower()


def _format_for_name(*, name: str, allowed: tuple[FileFormat, ...]) -> FileFormat:
    extension = _last_extension(name)
    accepted = ", ".join(f".{ext}" for fmt in allowed for ext in sorted(fmt.extensions, key=len))
    for fmt in allowed:
        if extension in fmt.extensions:
            return fmt
    if not extension:
        raise ValidationError(
            _("The file name has no extension. Accepted types: %(allowed)s."),
            code="extension",
            params={"allowed": accepted},
        )
    raise ValidationError(
        _("Files ending in “.%(extension)s” are not accepted here. Accepted types: %(allowed)s."),
        code="extension",
        params={"extension": extension, "allowed": accepted},
    )


def _stream_of(uploaded_file: UploadedFile) -> BinaryIO:
    """The underlying file object (zipfile and pypdf seek and read it directly)."""
    stream = getattr(uploaded_file, "file", None)
    return uploaded_file if stream is None else stream  # type: ignore[return-value]


def _size_of(uploaded_file: UploadedFile) -> int:
    size = uploaded_file.size
    if size is None:
        stream = _stream_of(uploaded_file)
        stream.seek(0, os.SEEK_END)
        size = stream.tell()
        stream.seek(0)
    return int(size)


def _not_format(params: dict[str, str]) -> ValidationError:
    return ValidationError(
        _("This file is not a real %(format)s file: its content does not match the “.%(extension)s” extension."),
        code="not_format",
        params=params,
    )


def _damaged(params: dict[str, str]) -> ValidationError:
    return ValidationError(_("The %(format)s file is damaged or cannot be read."), code="damaged", params=params)


def _check_pdf(*, stream: BinaryIO, head: bytes, params: dict[str, str]) -> int:
    """A PDF starts with %PDF-, parses, is not encrypted and has at least one page. Returns the page count.

    Only the cross-reference table and the page tree are read (no content streams are decompressed).
    """
    if not head.startswith(b"%PDF-"):
        raise _not_format(params)
    from pypdf import PdfReader

    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception as error:  # pypdf raises many types on malformed input; all mean "cannot be read"
        raise _damaged(params) from error
    if encrypted:
        raise ValidationError(
            _("The PDF file is password-protected or encrypted. Please upload a copy without a password."),
            code="encrypted",
        )
    if pages < 1:
        raise ValidationError(_("The PDF file has no pages."), code="no_pages")
    return pages


def _zip_directory_bounds(*, stream: BinaryIO, size: int, params: dict[str, str]) -> None:
    """Read the End Of Central Directory record ourselves and bound the entry count and directory size *before*
    zipfile parses the directory (zipfile builds an object per entry; a 20 MB directory is ~450,000 entries)."""
    tail_size = min(size, 22 + 0xFFFF)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    position = tail.rfind(b"PK\x05\x06")
    if position < 0 or len(tail) - position < 22:
        raise _damaged(params)
    (_sig, disk, cd_disk, _disk_entries, entries, cd_size, cd_offset, _comment) = struct.unpack(
        "<4s4H2LH", tail[position : position + 22]
    )
    too_many = ValidationError(
        _("The file contains too many internal parts (at most %(limit)s are allowed)."),
        code="archive_too_many_entries",
        params={"limit": MAX_ZIP_ENTRIES},
    )
    if entries > MAX_ZIP_ENTRIES or cd_size > MAX_ZIP_CENTRAL_DIRECTORY_BYTES:
        raise too_many  # including ZIP64 markers (0xFFFF), never needed by an office file this small
    if disk != 0 or cd_disk != 0 or cd_offset == 0xFFFFFFFF or cd_offset + cd_size > size:
        raise _archive_unsafe()


def _archive_unsafe() -> ValidationError:
    return ValidationError(
        _("The file contains unsafe or malformed internal parts and was refused."), code="archive_unsafe"
    )


def _unsafe_entry_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return any(segment == ".." for segment in name.split("/"))


def _check_ooxml(*, stream: BinaryIO, head: bytes, fmt: FileFormat, size: int, params: dict[str, str]) -> None:
    """DOCX/XLSX: a real ZIP whose directory is sane and small, whose declared sizes and compression ratios are
    bounded (checked before anything is decompressed), with the format's main part declared in a
    [Content_Types].xml parsed by defusedxml."""
    if head.startswith(_CFB_MAGIC):
        raise ValidationError(
            _(
                "This file is password-protected or in the old .doc/.xls format. "
                "Please save it as .docx or .xlsx without a password and upload it again."
            ),
            code="legacy_or_encrypted",
        )
    if not head.startswith(_ZIP_MAGIC):
        raise _not_format(params)
    _zip_directory_bounds(stream=stream, size=size, params=params)
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise _damaged(params) from error
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise ValidationError(
                _("The file contains too many internal parts (at most %(limit)s are allowed)."),
                code="archive_too_many_entries",
                params={"limit": MAX_ZIP_ENTRIES},
            )
        _check_zip_entries(infos=infos, size=size)
        names = {info.filename for info in infos}
        lowered = {name.lower() for name in names}
        if any(name.rsplit("/", 1)[-1] == "vbaproject.bin" for name in lowered):
            raise _macros()
        main_part = _OOXML_MAIN_PART[fmt.key]
        if "[Content_Types].xml" not in names or main_part not in names:
            other = next(key for key in _OOXML_MAIN_PART if key != fmt.key)
            if _OOXML_MAIN_PART[other] in names:
                raise _not_format(params)  # e.g. an XLSX renamed .docx
            raise ValidationError(
                _("The file is not a complete %(format)s document: required parts are missing."),
                code="archive_missing_part",
                params=params,
            )
        declared = _declared_content_type(archive=archive, part=main_part, params=params)
    if declared in _OOXML_MACRO_TYPES:
        raise _macros()
    if declared != _OOXML_MAIN_TYPE[fmt.key]:
        raise _not_format(params)


def _macros() -> ValidationError:
    return ValidationError(
        _("The file contains macros, which are not accepted. Please save it as a plain .docx or .xlsx file."),
        code="macros",
    )


def _check_zip_entries(*, infos: list[zipfile.ZipInfo], size: int) -> None:
    """Names, methods, encryption and layout (no overlapping entries: the "better zip bomb" reuses one compressed
    block from many entries), then the declared uncompressed sizes. zipfile later refuses to return more than an
    entry's declared size (it truncates and fails the CRC check), so the declared sizes bound real decompression."""
    seen: set[str] = set()
    for info in infos:
        if _unsafe_entry_name(info.filename) or info.filename in seen:
            raise _archive_unsafe()
        seen.add(info.filename)
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _archive_unsafe()
    by_offset = sorted(infos, key=lambda info: info.header_offset)
    for current, following in zip(by_offset, [*by_offset[1:], None], strict=True):
        end = current.header_offset + 30 + current.compress_size  # a local header is at least 30 bytes
        if current.header_offset < 0 or end > (following.header_offset if following else size):
            raise _archive_unsafe()
    total = 0
    for info in infos:
        total += info.file_size
        ratio_too_high = (
            info.file_size > ZIP_RATIO_CHECKED_FROM_BYTES
            and info.file_size > MAX_ZIP_COMPRESSION_RATIO * max(info.compress_size, 1)
        )
        if ratio_too_high:
            raise ValidationError(
                _("The file contains a part compressed more than %(ratio)s times and was refused for safety."),
                code="archive_bomb",
                params={"ratio": MAX_ZIP_COMPRESSION_RATIO},
            )
        if total > MAX_ZIP_UNCOMPRESSED_BYTES:
            raise ValidationError(
                _("When opened, the file would expand to more than %(limit)s MB and was refused for safety."),
                code="archive_bomb",
                params={"limit": megabytes(MAX_ZIP_UNCOMPRESSED_BYTES)},
            )


def _declared_content_type(*, archive: zipfile.ZipFile, part: str, params: dict[str, str]) -> str:
    """The content type [Content_Types].xml gives ``part`` (an Override, else the Default for its extension),
    lower case. Parsed with defusedxml: no DTD entities (billion laughs), no external entities."""
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise _archive_unsafe()
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_CONTENT_TYPES_BYTES + 1)
        root = defusedxml.ElementTree.fromstring(data)
    except (defusedxml.DefusedXmlException, ParseError, zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
        raise _damaged(params) from error
    if root.tag != f"{_CONTENT_TYPES_NS}Types":
        raise _damaged(params)
    wanted = "/" + part.lower()
    default: str | None = None
    extension = part.rsplit(".", 1)[-1].lower()
    for element in root:
        if element.tag == f"{_CONTENT_TYPES_NS}Override" and (element.get("PartName") or "").lower() == wanted:
            return (element.get("ContentType") or "").strip().lower()
        if element.tag == f"{_CONTENT_TYPES_NS}Default" and (element.get("Extension") or "").lower() == extension:
            default = (element.get("ContentType") or "").strip().lower()
    return default or ""


def _image_size_checked(*, width: int, height: int, params: dict[str, str]) -> tuple[int, int]:
    if width < 1 or height < 1:
        raise _damaged(params)
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _("The image is too large (%(width)s × %(height)s pixels)."),
            code="image_too_large",
            params={"width": width, "height": height},
        )
    return width, height


_JPEG_SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _check_jpeg(*, stream: BinaryIO, head: bytes, size: int, params: dict[str, str]) -> tuple[int, int]:
    """SOI, then marker segments up to a frame header (SOF) with sane dimensions, before any scan data."""
    if not head.startswith(b"\xff\xd8\xff"):
        raise _not_format(params)
    position = 2
    for _segment in range(10_000):
        stream.seek(position)
        marker = stream.read(2)
        while len(marker) == 2 and marker[0] == 0xFF and marker[1] == 0xFF:  # fill bytes
            position += 1
            marker = marker[1:] + stream.read(1)
        if len(marker) < 2 or marker[0] != 0xFF:
            break
        code = marker[1]
        if code == 0x01 or 0xD0 <= code <= 0xD7:  # TEM, RSTn: no length
            position += 2
            continue
        if code in (0xD9, 0xDA):  # EOI or start of scan before any frame header
            break
        length_bytes = stream.read(2)
        if len(length_bytes) < 2:
            break
        (length,) = struct.unpack(">H", length_bytes)
        if length < 2 or position + 2 + length > size:
            break
        if code in _JPEG_SOF_MARKERS:
            frame = stream.read(6)
            if len(frame) < 6 or length < 8:
                break
            _precision, height, width, components = struct.unpack(">BHHB", frame)
            if components not in (1, 2, 3, 4):
                break
            return _image_size_checked(width=width, height=height, params=params)
        position += 2 + length
    raise _damaged(params)


_PNG_COLOUR_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}


def _check_png(*, stream: BinaryIO, head: bytes, params: dict[str, str]) -> tuple[int, int]:
    """Signature, then an IHDR chunk of 13 bytes with a valid CRC, colour type and bit depth."""
    if not head.startswith(_PNG_MAGIC):
        raise _not_format(params)
    stream.seek(8)
    chunk = stream.read(8 + 13 + 4)
    if len(chunk) < 25 or chunk[:8] != b"\x00\x00\x00\x0dIHDR":
        raise _damaged(params)
    data, (crc,) = chunk[8:21], struct.unpack(">I", chunk[21:25])
    if zlib.crc32(chunk[4:21]) != crc:
        raise _damaged(params)
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", data)
    if depth not in _PNG_COLOUR_DEPTHS.get(colour, set()) or compression or filtering or interlace not in (0, 1):
        raise _damaged(params)
    if width > 2**31 - 1 or height > 2**31 - 1:
        raise _damaged(params)
    return _image_size_checked(width=width, height=height, params=params)


# ---------------------------------------------------------------------------------------------------------------
# 3. Storage
# ---------------------------------------------------------------------------------------------------------------

_STORED_EXTENSIONS = frozenset(CONTENT_TYPE_BY_EXTENSION)
_STORED_PATH_RE = re.compile(
    re.escape(UPLOAD_DIR) + r"/\d{4}/\d{2}/[0-9a-f]{32}\.(?:" + "|".join(sorted(_STORED_EXTENSIONS)) + ")"
)
# errno values of a file system that has no hard links (some SMB/CIFS and FUSE mounts).
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK})


class AtomicFileSystemStorage(FileSystemStorage):
    """The default storage (``STORAGES["default"]``): ``MEDIA_ROOT``, a directory every node mounts, where a file
    appears whole or not at all.

    Django's own FileSystemStorage writes straight into the final name, so a process killed mid-write leaves a
    half-written file that every later reader takes for the real one. Here a file is written to a temporary
    name in its directory (``.incoming-*.part``), flushed to disk, then hard-linked to its final name: the link
    fails rather than replace a file, so two writers of one name never mix their bytes (the second gets
    Django's "another name", as ``save`` promises). On a mount without hard links the temporary file is
    renamed into place after an existence check. Temporary files of a killed process are removed after an
    hour by the next write to their directory. Reading refuses a name that resolves, through symlinks,
    outside the storage's directory. S3 (django-storages) needs none of this: a PUT is atomic.
    """

    LEFTOVER_SECONDS = 3600
    SWEEP_SECONDS = 900

    def _open(self, name: str, mode: str = "rb") -> File:
        path = Path(self.path(name)).resolve(strict=True)
        if not path.is_relative_to(Path(self.location).resolve()):
            raise SuspiciousFileOperation(f"Stored file {name!r} resolves outside the storage directory")
        return File(open(path, mode))  # noqa: SIM115 - the caller closes the File

    def _save(self, name: str, content: File) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        self._make_directory(directory)
        self._remove_leftovers(directory)
        descriptor, temporary = tempfile.mkstemp(prefix=".incoming-", suffix=".part", dir=directory)
        try:
            with os.fdopen(descriptor, "wb") as out:
                for chunk in content.chunks():  # never a move of an upload's temporary file: a copy
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            while True:
                try:
                    _link_whole(temporary, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        return str(name).replace("\\", "/")

    def _make_directory(self, directory: str) -> None:
        if self.directory_permissions_mode is None:
            os.makedirs(directory, exist_ok=True)
            return
        old_umask = os.umask(0o777 & ~self.directory_permissions_mode)  # as Django's FileSystemStorage does
        try:
            os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        finally:
            os.umask(old_umask)

    def _remove_leftovers(self, directory: str) -> None:
        """A killed writer's temporaries, older than an hour, go; each directory is looked through at most
        every SWEEP_SECONDS by a process (listing a month's uploads on NFS at every upload would cost)."""
        now = timezone.now().timestamp()
        swept = self.__dict__.setdefault("_swept", {})
        if now - swept.get(directory, 0.0) < self.SWEEP_SECONDS:
            return
        swept[directory] = now
        cutoff = now - self.LEFTOVER_SECONDS
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.startswith(".incoming-") and entry.name.endswith(".part"):
                    with contextlib.suppress(FileNotFoundError):
                        if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                            os.unlink(entry.path)


def _link_whole(temporary: str, target: str) -> None:
    """Give the written file its final name; FileExistsError if the name is taken (never replaced)."""
    try:
        os.link(temporary, target)
    except OSError as error:
        if isinstance(error, FileExistsError) or error.errno not in _NO_HARD_LINKS:
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "File exists", target) from error
        os.rename(temporary, target)


def store_upload(*, uploaded_file: UploadedFile, detected: DetectedFile) -> StoredFile:
    """Store a validated upload as ``uploads/YYYY/MM/<uuid4 hex>.<ext>`` in the default storage, hashed.

    The user's file name is never part of the name (no traversal, no overwriting, no odd characters); the
    extension and the stored content type come from the detected content, never from the browser. Every
    storage writes a file whole or not at all (``AtomicFileSystemStorage``; an S3 PUT), so a half-written
    file never appears under a final name.
    """
    if detected.extension not in _STORED_EXTENSIONS:
        raise ValueError(f"Refusing to store a file with extension {detected.extension!r}")
    today = timezone.localdate()
    name = f"{UPLOAD_DIR}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{detected.extension}"
    digest = hashlib.sha256()
    size = 0
    try:
        for chunk in uploaded_file.chunks():  # chunks() rewinds first
            digest.update(chunk)
            size += len(chunk)
        if size != detected.size:
            raise ValueError("The uploaded file changed between validation and storage")
        content = File(uploaded_file, name=name)
        content.content_type = detected.content_type  # what S3 records, instead of the browser's claim
        stored = default_storage.save(name, content)
        if stored != name or default_storage.size(stored) != size:  # uuid4 names: neither ever happens
            default_storage.delete(stored)
            raise ValueError(f"The upload was not stored whole under {name}")
    finally:
        uploaded_file.seek(0)
    return StoredFile(
        relative_path=name,
        sha256=digest.hexdigest(),
        size=size,
        content_type=detected.content_type,
        extension=detected.extension,
    )


@dataclass(frozen=True)
class HeldUpload:
    """A validated, stored upload kept for a form that was refused for another reason (a send refused because a
    report is not accepted yet must not lose the signed minutes): the form carries ``token``, signed for one user
    and one kind, and the next submission uses the file without choosing it again."""

    stored: StoredFile
    original_name: str
    token: str


HOLD_SALT = "tdkt.uploads.held"
HOLD_MAX_AGE = 2 * 24 * 3600  # a form left open over a weekend day


def hold_upload(*, uploaded_file: UploadedFile, kind: UploadKind | str, user_id: int) -> HeldUpload:
    """Validate and store an upload now, for a later submission of the same form (ValidationError if invalid)."""
    detected = validate_upload(uploaded_file=uploaded_file, kind=kind)
    stored = store_upload(uploaded_file=uploaded_file, detected=detected)
    name = unicodedata.normalize("NFC", detected.original_name)[:255]
    token = signing.dumps(
        {"p": stored.relative_path, "h": stored.sha256, "s": stored.size, "t": stored.content_type,
         "e": stored.extension, "n": name, "u": user_id, "k": str(kind)},
        salt=HOLD_SALT, compress=True,
    )  # fmt: skip
    return HeldUpload(stored=stored, original_name=name, token=token)


def held_upload(*, token: str, kind: UploadKind | str, user_id: int) -> HeldUpload | None:
    """The upload a form holds, if the token is this user's, of this kind, recent and its file still stored."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=HOLD_SALT, max_age=HOLD_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("u") != user_id or data.get("k") != str(kind) or not default_storage.exists(data["p"]):
        return None
    stored = StoredFile(relative_path=data["p"], sha256=data["h"], size=data["s"], content_type=data["t"],
                        extension=data["e"])  # fmt: skip
    return HeldUpload(stored=stored, original_name=data["n"], token=token)


def open_stored(*, relative_path: str) -> File:
    """Open a stored upload for reading from the default storage; refuse anything but a name ``store_upload``
    generates (and, on the file system, one that resolves through symlinks outside ``MEDIA_ROOT``). Raises
    SuspiciousFileOperation or FileNotFoundError."""
    if not isinstance(relative_path, str) or not _STORED_PATH_RE.fullmatch(relative_path):
        raise SuspiciousFileOperation("Not a stored upload path")
    return default_storage.open(relative_path, "rb")


# ---------------------------------------------------------------------------------------------------------------
# 4. Downloads
# ---------------------------------------------------------------------------------------------------------------

_ASCII_REPLACEMENTS = str.maketrans(
    {"đ": "d", "Đ": "D", "–": "-", "—": "-", "‘": "'", "’": "'", "“": "", "”": "", "«": "", "»": ""}
)
_WINDOWS_UNSAFE = set('<>:|?*"\\/')


def safe_download_name(name: str, *, extension: str) -> str:
    """A download name that survives every browser and file system: NFC, no control or invisible formatting
    characters (CR/LF, bidi overrides that disguise "exe.pdf"), no quotes, slashes or characters Windows
    refuses, at most 150 characters, and ending in the extension of the real content."""
    text = unicodedata.normalize("NFC", name or "")
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp"):
            kept.append(" ")
        elif category in ("Cf", "Cs", "Co", "Cn") or char == '"':
            continue
        elif char in _WINDOWS_UNSAFE:
            kept.append("_")
        else:
            kept.append(char)
    text = re.sub(r"\s+", " ", "".join(kept)).strip(" .")
    stem, dot, current = text.rpartition(".")
    aliases = FORMATS["jpeg"].extensions if extension == "jpg" else {extension}
    if dot and current.lower() in aliases:
        extension = current.lower()  # keep the user's ".jpeg"
    else:
        stem = text
    stem = stem[:150].strip(" .") or "tai-lieu"
    return f"{stem}.{extension}"


def ascii_download_name(name: str) -> str:
    """The ASCII fallback for old clients: Vietnamese letters without their marks ("Hòa" -> "Hoa", "đ" -> "d"),
    anything else outside printable ASCII, and quotes, backslashes and percent signs, replaced by "_"."""
    text = unicodedata.normalize("NFKD", name.translate(_ASCII_REPLACEMENTS))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = "".join(char if " " <= char <= "~" and char not in '"\\%' else "_" for char in text)
    return re.sub(r"\s+", " ", text).strip() or "download"


def content_disposition(name: str) -> str:
    """RFC 6266 attachment with an ASCII ``filename`` and the exact UTF-8 name in ``filename*`` (RFC 5987)."""
    encoded = quote(name, safe="!#$&+^`|~-._")
    return f"attachment; filename=\"{ascii_download_name(name)}\"; filename*=UTF-8''{encoded}"


def download_response(*, relative_path: str, download_name: str, content_type: str) -> FileResponse:
    """Serve a stored upload as an attachment that browsers neither sniff, render, frame nor cache.

    The content type must be the one of the stored extension (anything else is served as
    application/octet-stream); the name is cleaned by ``safe_download_name``. Access control is the caller's job.
    """
    extension = relative_path.rsplit(".", 1)[-1]
    handle = open_stored(relative_path=relative_path)
    if CONTENT_TYPE_BY_EXTENSION.get(extension) != content_type:
        content_type = "application/octet-stream"
    return attachment_response(handle, download_name=download_name, extension=extension, content_type=content_type)


def attachment_response(handle: IO[bytes], *, download_name: str, extension: str, content_type: str) -> FileResponse:
    """An open file as an attachment that browsers neither sniff, render, frame nor cache."""
    response = FileResponse(handle, as_attachment=True, content_type=content_type)
    response["Content-Disposition"] = content_disposition(safe_download_name(download_name, extension=extension))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
