"""Every user-visible string is translated; the catalogue is complete and current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "config" / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_the_vietnamese_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            for placeholder in ("%(", "%s"):
                assert entry.msgid.count(placeholder) == text.count(placeholder), entry.msgid


def test_the_catalogue_holds_every_string_of_the_code_and_templates(tmp_path):
    """makemessages on a copy of the sources must find no string missing from the catalogue."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "test-output", "*.mo", "__pycache__", "node_modules"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location",
         "--ignore=var/*", "--ignore=tests/*", "--ignore=bench/*"],
        cwd=copy, capture_output=True, text=True, timeout=300, check=False, env={**os.environ, "DEBUG": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    fresh = {e.msgid for e in polib.pofile(str(copy / "config/locale/vi/LC_MESSAGES/django.po")) if not e.obsolete}
    ours = {e.msgid for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    assert fresh - ours == set(), "run `make messages-update` and translate the new strings"
