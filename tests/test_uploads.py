"""Hardened uploads (awards/uploads.py): the streaming size cap, content and structure checks, storage under
generated names, and safe downloads. Every sample is generated here, in memory."""

import hashlib
import http.client
import io
import json
import os
import re
import select
import socket
import struct
import time
import unicodedata
import warnings
import zipfile
import zlib
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django import forms
from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import View

from awards import uploads
from awards.uploads import (
    MB,
    DetectedFile,
    UploadKind,
    attach_upload_refusal,
    download_response,
    install_upload_limit,
    limit_uploads,
    open_stored,
    store_upload,
    upload_refusal,
    validate_upload,
)
from tests.storage_backends import moto_server as moto_server  # noqa: F401 - the fixtures
from tests.storage_backends import storage_backend as storage_backend  # noqa: F401

pytestmark = pytest.mark.urls("tests.test_uploads")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


# ---------------------------------------------------------------------------------------------------------------
# Test-only views (this module is the URLconf of the tests marked above: urls.py is not ours to edit)
# ---------------------------------------------------------------------------------------------------------------


def _report(request):
    """GET: a CSRF token. POST: what the view received, and the upload refusal if any (413)."""
    if request.method == "GET":
        return JsonResponse({"csrf": get_token(request)})
    temp_dir = django_settings.FILE_UPLOAD_TEMP_DIR
    payload = {
        "refused": request.upload_refused,
        "refused_fields": request.upload_refused_fields,
        "fields": {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"},
        "files": {name: upload.size for name, upload in request.FILES.items()},
        "temp_files": sorted(os.listdir(temp_dir)) if temp_dir and os.path.isdir(temp_dir) else [],
    }
    refusal = upload_refusal(request)
    if refusal is not None:
        payload["message"] = refusal.messages[0]
        return JsonResponse(payload, status=413)
    return JsonResponse(payload)


@limit_uploads(max_bytes=1 * MB)  # the request may declare 1 MB + FORM_FIELDS_ALLOWANCE
@login_not_required
def strict_view(request):
    return _report(request)


@limit_uploads(max_bytes=1 * MB, max_files=4)  # the request may declare 4 MB + allowance; each file 1 MB
@login_not_required
def roomy_view(request):
    return _report(request)


@limit_uploads(max_bytes=4 * MB)
@login_not_required
def wide_view(request):
    return _report(request)


@limit_uploads(kind=UploadKind.SCAN)
@login_not_required
def scan_view(request):
    if request.method == "POST" and upload_refusal(request) is None and "scan" in request.FILES:
        try:
            detected = validate_upload(uploaded_file=request.FILES["scan"], kind=UploadKind.SCAN)
        except ValidationError as error:
            return JsonResponse({"errors": error.messages}, status=400)
        return JsonResponse({"content_type": detected.content_type, "pages": detected.pages, "size": detected.size})
    return _report(request)


@method_decorator(limit_uploads(max_bytes=1 * MB), name="dispatch")
class ClassBasedUploadView(View):
    """The same limit on a class-based view."""

    def get(self, request):
        return _report(request)

    def post(self, request):
        return _report(request)


urlpatterns = [
    path("upload/class/", login_not_required(ClassBasedUploadView.as_view())),
    path("upload/strict/", strict_view),
    path("upload/roomy/", roomy_view),
    path("upload/wide/", wide_view),
    path("upload/scan/", scan_view),
]


# ---------------------------------------------------------------------------------------------------------------
# Samples
# ---------------------------------------------------------------------------------------------------------------


def pdf_bytes(text: str = "Báo cáo tổng kết") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def encrypted_pdf_bytes(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Báo cáo thành tích")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_openpyxl_bytes() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Danh sách đề nghị khen thưởng"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_xlsxwriter_bytes() -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.add_worksheet().write("A1", "Tổng hợp")
    workbook.close()
    return buffer.getvalue()


def image_bytes(image_format: str, size: tuple[int, int] = (40, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, image_format)
    return buffer.getvalue()


def rezip(source: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """A copy of a ZIP with some entries replaced or added."""
    replace = replace or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info)))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return buffer.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal_of(name: str, content: bytes, kind=UploadKind.SUPPORTING, content_type="application/pdf"):
    with pytest.raises(ValidationError) as caught:
        validate_upload(uploaded_file=upload(name, content, content_type), kind=kind)
    return caught.value


@pytest.fixture(scope="module")
def zip_bomb_docx() -> bytes:
    """A real DOCX plus one entry of 200 MB of zeros: about 200 KB on disk."""
    buffer = io.BytesIO(docx_bytes())
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/anh.bin", "w") as entry,
    ):
        chunk = bytes(MB)
        for _ in range(200):
            entry.write(chunk)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# validate_upload: what is accepted
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [UploadKind.SCAN, UploadKind.SUPPORTING])
def test_a_valid_pdf_is_accepted_with_its_type_from_the_content(kind):
    content = pdf_bytes()
    # The browser's Content-Type header is ignored: it says text/html here.
    detected = validate_upload(uploaded_file=upload("Báo cáo.PDF", content, "text/html"), kind=kind)
    assert (detected.format, detected.content_type, detected.extension) == ("pdf", "application/pdf", "pdf")
    assert detected.pages == 1
    assert detected.size == len(content)
    assert detected.original_name == "Báo cáo.PDF"


@pytest.mark.parametrize(
    ("name", "build", "content_type", "extension"),
    [
        ("thanh-tich.docx", docx_bytes, DOCX_TYPE, "docx"),
        ("danh-sach.xlsx", xlsx_openpyxl_bytes, XLSX_TYPE, "xlsx"),
        ("tong-hop.XLSX", xlsx_xlsxwriter_bytes, XLSX_TYPE, "xlsx"),
    ],
)
def test_valid_docx_and_xlsx_are_accepted_with_their_real_types(name, build, content_type, extension):
    detected = validate_upload(uploaded_file=upload(name, build(), "application/zip"), kind=UploadKind.SUPPORTING)
    assert (detected.content_type, detected.extension) == (content_type, extension)


@pytest.mark.parametrize(
    ("name", "image_format", "content_type", "extension"),
    [
        ("anh.jpg", "JPEG", "image/jpeg", "jpg"),
        ("anh.jpeg", "JPEG", "image/jpeg", "jpg"),
        ("anh.png", "PNG", "image/png", "png"),
    ],
)
def test_valid_jpeg_and_png_are_accepted_with_their_dimensions(name, image_format, content_type, extension):
    detected = validate_upload(uploaded_file=upload(name, image_bytes(image_format)), kind=UploadKind.SUPPORTING)
    assert (detected.content_type, detected.extension, detected.width, detected.height) == (
        content_type,
        extension,
        40,
        30,
    )


# ---------------------------------------------------------------------------------------------------------------
# validate_upload: what is refused
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("bao-cao.exe", UploadKind.SUPPORTING),
        ("bao-cao.pdf.exe", UploadKind.SUPPORTING),  # the last extension counts
        ("bao-cao", UploadKind.SUPPORTING),
        ("bao-cao.html", UploadKind.SUPPORTING),
        ("thanh-tich.docx", UploadKind.SCAN),  # the scan is PDF only
    ],
)
def test_names_outside_the_whitelist_are_refused(name, kind):
    error = refusal_of(name, pdf_bytes(), kind=kind)
    assert error.code == "extension"
    assert ".pdf" in error.messages[0]


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03" + bytes(4096), b"\x7fELF\x02\x01\x01" + bytes(4096), b"#!/bin/sh\nrm -rf ~\n"],
    ids=["windows-exe", "elf", "shell-script"],
)
def test_a_renamed_program_is_refused_as_not_a_pdf(content):
    error = refusal_of("bao-cao.pdf", content, kind=UploadKind.SCAN, content_type="application/pdf")
    assert error.code == "executable"
    assert "PDF" in error.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "format_label"),
    [
        ("bao-cao.pdf", b"<html><script>alert(1)</script></html>", "PDF"),
        ("anh.jpg", image_bytes("PNG"), "JPEG"),
        ("bao-cao.docx", pdf_bytes(), "DOCX"),
        ("bao-cao.docx", xlsx_openpyxl_bytes(), "DOCX"),  # a real XLSX under a .docx name
        ("bang.xlsx", docx_bytes(), "XLSX"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content, format_label):
    error = refusal_of(name, content)
    assert error.code == "not_format"
    assert format_label in error.messages[0]


def test_a_two_entry_zip_renamed_docx_is_refused_for_missing_parts():
    fake = zip_of({"a.txt": b"xin chao", "b.txt": b"tam biet"})
    error = refusal_of("bao-cao.docx", fake, content_type=DOCX_TYPE)
    assert error.code == "archive_missing_part"


def test_a_zip_bomb_docx_is_refused_before_anything_is_decompressed(zip_bomb_docx, monkeypatch):
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(name)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    assert len(zip_bomb_docx) < 1 * MB
    started = time.monotonic()
    error = refusal_of("bao-cao.docx", zip_bomb_docx, content_type=DOCX_TYPE)
    elapsed = time.monotonic() - started
    assert error.code == "archive_bomb"
    assert opened == []  # not a single entry was opened, let alone inflated
    assert elapsed < 2


def test_one_strongly_compressed_entry_is_refused_even_under_the_total_cap():
    bomb = rezip(docx_bytes(), add={"word/media/anh.bin": bytes(5 * MB)})  # 5 MB of zeros, ~5 KB compressed
    error = refusal_of("bao-cao.docx", bomb, content_type=DOCX_TYPE)
    assert error.code == "archive_bomb"
    assert "100" in error.messages[0]


def test_the_declared_uncompressed_sizes_are_summed():
    """2 MB of random bytes (ratio about 1:1) whose directory record claims 101 MB: only the sum catches it."""
    sample = bytearray(rezip(docx_bytes(), add={"word/media/anh.bin": os.urandom(2 * MB)}))
    record = sample.rfind(b"word/media/anh.bin") - 46  # the central directory record (the last occurrence)
    assert sample[record : record + 4] == b"PK\x01\x02"
    sample[record + 24 : record + 28] = struct.pack("<L", 101 * MB)
    error = refusal_of("bao-cao.docx", bytes(sample), content_type=DOCX_TYPE)
    assert error.code == "archive_bomb"
    assert "100 MB" in error.messages[0]


def test_too_many_entries_are_refused_from_the_end_record_before_zipfile_parses_the_directory(monkeypatch):
    many = rezip(docx_bytes(), add={f"word/media/p{i}.xml": b"<p/>" for i in range(2_001)})

    def no_zipfile(*args, **kwargs):
        raise AssertionError("zipfile parsed the central directory")

    monkeypatch.setattr(zipfile, "ZipFile", no_zipfile)
    error = refusal_of("bao-cao.docx", many, content_type=DOCX_TYPE)
    assert error.code == "archive_too_many_entries"


def test_an_end_record_that_understates_the_entry_count_is_caught_after_parsing():
    many = bytearray(rezip(docx_bytes(), add={f"word/media/p{i}.xml": b"<p/>" for i in range(2_001)}))
    end = many.rfind(b"PK\x05\x06")
    many[end + 8 : end + 12] = struct.pack("<HH", 5, 5)  # "5 entries on this disk, 5 in all"
    error = refusal_of("bao-cao.docx", bytes(many), content_type=DOCX_TYPE)
    assert error.code == "archive_too_many_entries"


@pytest.mark.parametrize("name", ["../../evil.sh", "/etc/cron.d/evil", "word\\..\\..\\evil", "C:/Windows/evil.dll"])
def test_entry_names_that_climb_out_of_the_archive_are_refused(name):
    error = refusal_of("bao-cao.docx", rezip(docx_bytes(), add={name: b"x"}), content_type=DOCX_TYPE)
    assert error.code == "archive_unsafe"


def test_duplicate_and_overlapping_entries_are_refused():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate name
        duplicated = rezip(docx_bytes(), add={"word/document.xml": b"<khac/>"})
    assert refusal_of("a.docx", duplicated).code == "archive_unsafe"

    # Point the last central-directory record at the first local header: two entries share one block of data.
    overlapping = bytearray(docx_bytes())
    last_record = overlapping.rfind(b"PK\x01\x02")
    overlapping[last_record + 42 : last_record + 46] = struct.pack("<L", 0)
    assert refusal_of("a.docx", bytes(overlapping)).code == "archive_unsafe"


@pytest.mark.parametrize(
    "variant",
    ["macro-content-type", "vba-project"],
)
def test_macro_enabled_documents_are_refused(variant):
    original = docx_bytes()
    if variant == "macro-content-type":
        with zipfile.ZipFile(io.BytesIO(original)) as archive:
            types = archive.read("[Content_Types].xml")
        macro = types.replace(DOCX_MAIN.encode(), b"application/vnd.ms-word.document.macroEnabled.main+xml")
        assert macro != types
        sample = rezip(original, replace={"[Content_Types].xml": macro})
    else:
        sample = rezip(original, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(512)})
    assert refusal_of("bao-cao.docx", sample).code == "macros"


def test_content_types_are_parsed_without_expanding_xml_entities():
    """The stdlib parser would expand these entities (and accept the file); defusedxml refuses them."""
    entity_bomb = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Default Extension="txt" ContentType="&b;"/>'
        b'<Override PartName="/word/document.xml" ContentType="' + DOCX_MAIN.encode() + b'"/></Types>'
    )
    sample = rezip(docx_bytes(), replace={"[Content_Types].xml": entity_bomb})
    assert refusal_of("bao-cao.docx", sample).code == "damaged"


@pytest.mark.parametrize("user_password", ["mat-khau", ""], ids=["user-password", "owner-password-only"])
def test_an_encrypted_pdf_is_refused(user_password):
    error = refusal_of("bao-cao.pdf", encrypted_pdf_bytes(user_password), kind=UploadKind.SCAN)
    assert error.code == "encrypted"


def test_a_pdf_without_pages_or_structure_is_refused():
    from pypdf import PdfWriter

    empty = io.BytesIO()
    PdfWriter().write(empty)
    assert refusal_of("bao-cao.pdf", empty.getvalue(), kind=UploadKind.SCAN).code == "no_pages"
    damaged = b"%PDF-1.7\n" + b"khong phai PDF " * 100
    assert refusal_of("bao-cao.pdf", damaged, kind=UploadKind.SCAN).code == "damaged"


def test_a_password_protected_or_old_format_office_file_is_refused_with_advice():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    error = refusal_of("bang.xlsx", ole2)
    assert error.code == "legacy_or_encrypted"


def test_empty_and_oversized_files_are_refused(monkeypatch):
    assert refusal_of("bao-cao.pdf", b"", kind=UploadKind.SCAN).code == "empty"
    content = pdf_bytes()
    monkeypatch.setattr(uploads, "SCAN_MAX_BYTES", len(content) - 1)
    error = refusal_of("bao-cao.pdf", content, kind=UploadKind.SCAN)
    assert error.code == "too_large"
    # The same file is still accepted as a supporting document, whose cap did not change.
    validate_upload(uploaded_file=upload("bao-cao.pdf", content), kind=UploadKind.SUPPORTING)


def test_images_with_impossible_headers_are_refused():
    ihdr = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 2, 0, 0, 0)  # 2.5 gigapixels
    huge_png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
    huge_png += struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)) + bytes(64)
    assert refusal_of("anh.png", huge_png).code == "image_too_large"

    bad_crc = bytearray(image_bytes("PNG"))
    bad_crc[29] ^= 0xFF
    assert refusal_of("anh.png", bytes(bad_crc)).code == "damaged"

    zero_height = bytearray(image_bytes("JPEG"))
    frame = zero_height.find(b"\xff\xc0")
    zero_height[frame + 5 : frame + 7] = b"\x00\x00"
    assert refusal_of("anh.jpg", bytes(zero_height)).code == "damaged"


# ---------------------------------------------------------------------------------------------------------------
# The streaming cap, through Django's test client (CSRF) and a real HTTP server (streaming)
# ---------------------------------------------------------------------------------------------------------------

BOUNDARY = "tdkt-upload-test-7d3f"


def field_part(name: str, value: str) -> bytes:
    return f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()


def file_head(name: str, filename: str, content_type: str = "application/pdf") -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()


CLOSING = f"--{BOUNDARY}--\r\n".encode()


def expected_too_large(limit: str) -> str:
    with translation.override("vi"):  # the app's language; the test does not depend on the catalogue's state
        return gettext("The file is larger than %(limit)s MB.") % {"limit": limit}


def test_the_limit_must_be_installed_before_the_body_is_parsed():
    request = RequestFactory().post("/", {"ghi_chu": "x", "tep": SimpleUploadedFile("a.pdf", b"%PDF-")})
    assert request.POST["ghi_chu"] == "x"
    with pytest.raises(RuntimeError, match="before request.POST"):
        install_upload_limit(request, max_bytes=MB)


@pytest.mark.parametrize("url", ["/upload/strict/", "/upload/class/"])
def test_the_limited_view_still_enforces_csrf(url):
    client = Client(enforce_csrf_checks=True)
    data = {"ghi_chu": "Đợt 1", "file": SimpleUploadedFile("bao-cao.pdf", pdf_bytes())}
    assert client.post(url, data).status_code == 403
    token = client.get(url).json()["csrf"]
    data["file"].seek(0)
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert response.json()["fields"] == {"ghi_chu": "Đợt 1"}
    assert response.json()["files"] == {"file": len(pdf_bytes())}


@pytest.mark.parametrize("url", ["/upload/strict/", "/upload/class/"])
def test_an_oversized_upload_is_still_refused_by_csrf_without_a_token(url):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, {"file": SimpleUploadedFile("bao-cao.pdf", bytes(3 * MB))})
    assert response.status_code == 403


@pytest.mark.parametrize("url", ["/upload/strict/", "/upload/class/"])
def test_an_oversized_upload_shows_a_translated_message_and_keeps_the_fields_typed_before_it(url):
    client = Client(enforce_csrf_checks=True)
    token = client.get(url).json()["csrf"]
    body = (
        field_part("csrfmiddlewaretoken", token)
        + field_part("ghi_chu", "Khen thưởng đột xuất")
        + file_head("file", "bao-cao.pdf")
        + bytes(3 * MB)
        + b"\r\n"
        + CLOSING
    )
    response = client.post(url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 413
    result = response.json()
    assert result["refused"] == "too_large"
    assert result["refused_fields"] == ["file"]
    assert result["message"] == expected_too_large("1")
    assert result["fields"] == {"ghi_chu": "Khen thưởng đột xuất"}
    assert result["files"] == {}


class ScanForm(forms.Form):
    ghi_chu = forms.CharField(max_length=20)
    scan = forms.FileField()


def test_attach_upload_refusal_replaces_required_by_the_size_message_and_keeps_the_other_fields():
    request = RequestFactory().post("/", {"ghi_chu": "Đợt 1"})
    install_upload_limit(request, max_bytes=25 * MB)
    form = ScanForm(request.POST, request.FILES)
    assert attach_upload_refusal(request=request, form=form, field="scan") is False  # nothing was refused
    assert form.is_valid() is False and "scan" in form.errors  # "required", as usual

    request.upload_refused, request.upload_refused_fields = "too_large", ["scan"]  # as LimitedUploadHandler records
    form = ScanForm({"ghi_chu": "Đợt 1"}, {})
    assert attach_upload_refusal(request=request, form=form, field="scan") is True
    assert form.is_valid() is False
    assert form.errors["scan"] == [expected_too_large("25")]
    assert form.errors["scan"].as_data()[0].code == "too_large"
    assert form.cleaned_data == {"ghi_chu": "Đợt 1"}


def live_csrf(live_server) -> tuple[str, str]:
    """A CSRF cookie and form token from the live server."""
    address = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.request("GET", "/upload/strict/")
    response = connection.getresponse()
    cookie = SimpleCookie(response.getheader("Set-Cookie"))["csrftoken"].value
    token = json.loads(response.read())["csrf"]
    connection.close()
    return cookie, token


def live_post(live_server, url_path: str, body: bytes, cookie: str) -> tuple[int, dict]:
    address = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=20)
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Cookie": f"csrftoken={cookie}"}
    connection.request("POST", url_path, body=body, headers=headers)
    response = connection.getresponse()
    result = response.status, json.loads(response.read())
    connection.close()
    return result


def test_a_request_claiming_2_gb_is_refused_before_its_body_is_read(live_server):
    cookie, token = live_csrf(live_server)
    address = urlsplit(live_server.url)
    declared = 2 * 1024**3
    head = (
        f"POST /upload/strict/ HTTP/1.1\r\nHost: {address.netloc}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {declared}\r\nCookie: csrftoken={cookie}\r\nConnection: close\r\n\r\n"
    ).encode()
    start = field_part("csrfmiddlewaretoken", token) + field_part("ghi_chu", "trước tệp") + file_head("file", "x.pdf")
    budget, sent, answered_early = 64 * MB, 0, False
    zeros = bytes(64 * 1024)
    started = time.monotonic()
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(head + start)
        while sent < budget:
            if select.select([sock], [], [], 0)[0]:
                answered_early = True
                break
            try:
                sock.sendall(zeros)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                answered_early = True
                break
            sent += len(zeros)
        response = http.client.HTTPResponse(sock)
        response.begin()
        result = json.loads(response.read())
    elapsed = time.monotonic() - started
    assert answered_early, "the server waited for the body instead of answering"
    assert response.status == 413
    assert result["refused"] == "too_large"
    assert result["message"] == expected_too_large("1")
    assert result["fields"] == {"ghi_chu": "trước tệp"}  # the fields before the file input survive
    assert sent < 16 * MB  # far from the declared 2 GB
    assert elapsed < 5


def test_a_file_over_the_cap_is_refused_while_streaming_and_its_temporary_file_removed(live_server, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    cookie, token = live_csrf(live_server)
    body = (
        field_part("csrfmiddlewaretoken", token)
        + field_part("truoc", "trước")
        + file_head("file", "bao-cao.pdf")
        + bytes(3 * MB)  # the request (3 MB) is within the view's 4 MB + allowance, the file over its 1 MB
        + b"\r\n"
        + field_part("sau", "sau tệp")
        + CLOSING
    )
    status, result = live_post(live_server, "/upload/roomy/", body, cookie)
    assert status == 413
    assert result["refused"] == "too_large"
    assert result["refused_fields"] == ["file"]
    assert result["files"] == {}
    assert result["fields"] == {"truoc": "trước", "sau": "sau tệp"}  # nothing else the user typed is lost
    assert result["temp_files"] == []  # the partial temporary file was deleted as soon as the file was refused
    assert os.listdir(tmp_path) == []


def test_a_file_under_the_cap_is_accepted_and_its_temporary_file_removed_after_the_request(
    live_server, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    cookie, token = live_csrf(live_server)
    body = field_part("csrfmiddlewaretoken", token) + file_head("file", "lon.pdf") + bytes(3 * MB) + b"\r\n" + CLOSING
    status, result = live_post(live_server, "/upload/wide/", body, cookie)
    assert status == 200
    assert result["refused"] is None
    assert result["files"] == {"file": 3 * MB}
    assert len(result["temp_files"]) == 1  # above FILE_UPLOAD_MAX_MEMORY_SIZE Django spools to this directory
    deadline = time.monotonic() + 5
    while os.listdir(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert os.listdir(tmp_path) == []

    pdf = pdf_bytes()
    body = field_part("csrfmiddlewaretoken", token) + file_head("scan", "Báo cáo.pdf") + pdf + b"\r\n" + CLOSING
    status, result = live_post(live_server, "/upload/scan/", body, cookie)
    assert (status, result) == (200, {"content_type": "application/pdf", "pages": 1, "size": len(pdf)})


# ---------------------------------------------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------------------------------------------

STORED = re.compile(r"uploads/\d{4}/\d{2}/[0-9a-f]{32}\.pdf")


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "Báo cáo tổng kết – Biên Hòa.pdf"])
def test_store_upload_uses_a_generated_name_under_media_root_uploads(media_root, name):
    content = pdf_bytes()
    uploaded = upload(name, content, "application/pdf")
    detected = validate_upload(uploaded_file=uploaded, kind=UploadKind.SCAN)
    stored = store_upload(uploaded_file=uploaded, detected=detected)
    again = store_upload(uploaded_file=uploaded, detected=detected)

    assert STORED.fullmatch(stored.relative_path)
    assert stored.relative_path != again.relative_path
    for part in ("passwd", "etc", "..", "Báo", "Bao", "Hòa"):
        assert part not in stored.relative_path
    on_disk = media_root / stored.relative_path
    assert on_disk.resolve().is_relative_to((media_root / "uploads").resolve())
    assert on_disk.read_bytes() == content
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert (stored.size, stored.content_type, stored.extension) == (len(content), "application/pdf", "pdf")
    assert sorted(p.name for p in on_disk.parent.iterdir()) == sorted(
        Path(p).name for p in (stored.relative_path, again.relative_path)
    )  # no temporary file left behind
    with open_stored(relative_path=stored.relative_path) as handle:
        assert handle.read() == content


def test_store_upload_refuses_an_extension_that_did_not_come_from_validation(media_root):
    forged = DetectedFile(
        kind=UploadKind.SUPPORTING,
        format="pdf",
        content_type="text/html",
        extension="html",
        size=4,
        original_name="x.html",
    )
    with pytest.raises(ValueError, match="extension"):
        store_upload(uploaded_file=upload("x.html", b"<p/>"), detected=forged)
    assert not (media_root / "uploads").exists() or not any((media_root / "uploads").rglob("*.html"))


@pytest.mark.parametrize(
    "relative_path",
    [
        "../secret.pdf",
        "uploads/../../secret.pdf",
        "/etc/passwd",
        "uploads/2025/01/" + "a" * 32 + ".html",
        "uploads\\2025\\01\\" + "a" * 32 + ".pdf",
        "media/uploads/2025/01/" + "a" * 32 + ".pdf",
    ],
)
def test_open_stored_refuses_anything_but_a_generated_upload_path(media_root, relative_path):
    with pytest.raises(SuspiciousFileOperation):
        open_stored(relative_path=relative_path)


def test_open_stored_refuses_a_symlink_out_of_the_uploads_directory(media_root, tmp_path):
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF- secret")
    directory = media_root / "uploads" / "2025" / "01"
    directory.mkdir(parents=True)
    (directory / ("b" * 32 + ".pdf")).symlink_to(secret)
    with pytest.raises(SuspiciousFileOperation):
        open_stored(relative_path="uploads/2025/01/" + "b" * 32 + ".pdf")
    with pytest.raises(FileNotFoundError):
        open_stored(relative_path="uploads/2025/01/" + "c" * 32 + ".pdf")


# ---------------------------------------------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def stored_pdf(storage_backend):
    """A stored PDF, on each storage (tests/storage_backends.py)."""
    content = pdf_bytes()
    uploaded = upload("x.pdf", content)
    stored = store_upload(
        uploaded_file=uploaded, detected=validate_upload(uploaded_file=uploaded, kind=UploadKind.SCAN)
    )
    return stored, content


def test_download_response_headers_for_a_vietnamese_name_with_quotes_and_newlines(stored_pdf):
    stored, content = stored_pdf
    name = unicodedata.normalize("NFD", 'Báo cáo "tổng kết"\r\n– Biên Hòa.pdf')  # as Windows keyboards type it
    response = download_response(relative_path=stored.relative_path, download_name=name, content_type="application/pdf")
    try:
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "\r" not in disposition and "\n" not in disposition
        fallback = re.search(r'filename="([^"]*)"', disposition).group(1)
        assert fallback == "Bao cao tong ket - Bien Hoa.pdf"
        assert fallback.isascii()
        encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
        assert encoded.isascii() and "'" not in encoded and '"' not in encoded
        assert unquote(encoded) == unicodedata.normalize("NFC", "Báo cáo tổng kết – Biên Hòa.pdf")
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == content
    finally:
        response.file_to_stream.close()  # not response.close(): that fires request_finished (DB cleanup)


@pytest.mark.parametrize(
    ("download_name", "expected"),
    [
        ("trang.html", "trang.html.pdf"),  # the real content's extension is appended
        ("../../etc/passwd", "_.._etc_passwd.pdf"),  # no path survives
        ("hoa-don\u202efdp.exe", "hoa-donfdp.exe.pdf"),  # the right-to-left override that disguises ".exe" goes
        ("", "tai-lieu.pdf"),
    ],
)
def test_download_names_are_cleaned_and_end_in_the_real_extension(stored_pdf, download_name, expected):
    stored, _content = stored_pdf
    response = download_response(
        relative_path=stored.relative_path, download_name=download_name, content_type="text/html"
    )
    try:
        encoded = re.search(r"filename\*=UTF-8''(\S+)", response["Content-Disposition"]).group(1)
        assert unquote(encoded) == expected
        assert response["Content-Type"] == "application/octet-stream"  # text/html is not what was stored
    finally:
        response.file_to_stream.close()  # not response.close(): that fires request_finished (DB cleanup)
