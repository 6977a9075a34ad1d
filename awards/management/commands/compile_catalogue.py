"""Compile config/locale/*/LC_MESSAGES/django.po to .mo in pure Python (no GNU gettext needed)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile our translation catalogues (.po -> .mo)."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                catalogue = polib.pofile(str(po_path))
                if catalogue.percent_translated() < 100 or catalogue.fuzzy_entries():
                    self.stderr.write(f"warning: {po_path} has untranslated or fuzzy entries")
                try:
                    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                except OSError as error:
                    raise CommandError(f"cannot write {po_path.with_suffix('.mo')}: {error}") from error
                compiled += 1
        self.stdout.write(f"compile_catalogue: {compiled} catalogue(s) compiled")
