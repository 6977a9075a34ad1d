"""Every URL pattern × persona × method -> expected status, written out by hand.

The table is deliberately not derived from the code it checks. Adding a URL without adding it here
fails `test_every_url_pattern_is_in_the_matrix`. Object rows name their object in braces; each object
URL must answer its owner and refuse another unit. The personas of a row run left to right in one
transaction: where the first allowed persona's POST removes the object (an attachment on unit A's draft),
the next one finds it gone (403, like any object out of reach).
"""

import copy
import datetime as dt
import json

import pytest
from axes.models import AccessAttempt
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from awards.models import AuditEvent, BaseSalary, Notification, Unit, UnitLineage, WorkdayChange
from awards.reference.tiers_181 import standard_tiers
from awards.services import api as api_services
from awards.services import campaigns as campaign_services
from awards.services import reorganisations as reorganisation_services
from awards.services import reports as report_services
from tests.conftest import build_campaign, build_org
from tests.test_attachments import pdf_bytes
from tests.test_reports import REQUIRED_ENTERPRISE

PERSONA_COLUMNS = (
    "anon", "officer_a", "head_a", "officer_b", "head_b", "district", "commune",
    "police", "director", "home", "leader", "ministry", "admin", "outsider",
)  # fmt: skip

# route (as the resolver spells it) | method | path with {objects} | expected status per persona column
MATRIX = """
healthz                                  | GET  | /healthz                           | 200 200 200 200 200 200 200 200 200 200 200 200 200 200
readyz                                   | GET  | /readyz                            | 200 200 200 200 200 200 200 200 200 200 200 200 200 200
accounts/login/                          | GET  | /accounts/login/                   | 200 302 302 302 302 302 302 302 302 302 302 302 302 302
accounts/logout/                         | POST | /accounts/logout/                  | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
accounts/password_change/                | GET  | /accounts/password_change/         | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
accounts/password_change/done/           | GET  | /accounts/password_change/done/    | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
accounts/password_reset/                 | GET  | /accounts/password_reset/          | 200 200 200 200 200 200 200 200 200 200 200 200 200 200
accounts/password_reset/done/            | GET  | /accounts/password_reset/done/     | 200 200 200 200 200 200 200 200 200 200 200 200 200 200
accounts/reset/<uidb64>/<token>/         | GET  | /accounts/reset/MQ/bad-token/      | 200 200 200 200 200 200 200 200 200 200 200 200 200 200
accounts/reset/done/                     | GET  | /accounts/reset/done/              | 200 200 200 200 200 200 200 200 200 200 200 200 200 200
i18n/setlang/                            | POST | /i18n/setlang/                     | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
favicon.ico                              | GET  | /favicon.ico                       | 301 301 301 301 301 301 301 301 301 301 301 301 301 301
                                         | GET  | /                                  | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
role/                                    | POST | /role/                             | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
role/                                    | GET  | /role/                             | 302 405 405 405 405 405 405 405 405 405 405 405 405 405
units/                                   | GET  | /units/                            | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
units/<int:pk>/                          | GET  | /units/{a}/                        | 302 200 200 403 403 403 403 200 200 200 200 403 200 403
units/<int:pk>/                          | GET  | /units/{b}/                        | 302 403 403 200 200 403 403 200 200 200 200 403 200 403
units/<int:pk>/                          | GET  | /units/{district}/                 | 302 403 403 403 403 200 403 200 200 200 200 403 200 403
units/<int:pk>/                          | GET  | /units/{commune}/                  | 302 403 403 403 403 200 200 200 200 200 200 403 200 403
units/<int:pk>/                          | GET  | /units/{other_commune}/            | 302 403 403 403 403 403 403 200 200 200 200 403 200 403
units/<int:pk>/                          | GET  | /units/{police}/                   | 302 403 403 403 403 403 403 200 200 200 200 403 200 403
units/<int:pk>/                          | GET  | /units/{ministry}/                 | 302 403 403 403 403 403 403 403 403 403 403 200 403 403
units/<int:pk>/                          | GET  | /units/999999/                     | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
activity/                                | GET  | /activity/                         | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
notifications/                           | GET  | /notifications/                    | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
notifications/                           | POST | /notifications/                    | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
notifications/settings/                  | GET  | /notifications/settings/           | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
notifications/settings/                  | POST | /notifications/settings/           | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
notifications/<int:pk>/open/             | POST | /notifications/{notif}/open/       | 302 302 404 404 404 404 404 404 404 404 404 404 404 404
notifications/<int:pk>/open/             | GET  | /notifications/{notif}/open/       | 302 405 405 405 405 405 405 405 405 405 405 405 405 405
lateness/                                | GET  | /lateness/                         | 302 403 403 403 403 403 403 200 200 200 200 403 403 403
lateness/                                | GET  | /lateness/?format=xlsx             | 302 403 403 403 403 403 403 200 200 200 200 403 403 403
exports/                                 | GET  | /exports/                          | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
exports/<int:pk>/                        | GET  | /exports/{export_a}/               | 302 200 403 403 403 403 403 403 403 403 403 403 403 403
exports/<int:pk>/                        | GET  | /exports/{export_a}/?format=json   | 302 200 403 403 403 403 403 403 403 403 403 403 403 403
exports/<int:pk>/                        | GET  | /exports/999999/                   | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
exports/<int:pk>/file/                   | GET  | /exports/{export_a}/file/          | 302 200 403 403 403 403 403 403 403 403 403 403 403 403
administration/data/                     | GET  | /administration/data/              | 302 403 403 403 403 403 403 403 403 403 403 403 200 403
administration/data/<str:kind>/          | GET  | /administration/data/units/        | 302 403 403 403 403 403 403 403 403 403 403 403 200 403
administration/data/<str:kind>/          | GET  | /administration/data/accounts/     | 302 403 403 403 403 403 403 403 403 403 403 403 200 403
administration/data/<str:kind>/          | GET  | /administration/data/nonsense/     | 302 404 404 404 404 404 404 404 404 404 404 404 404 404
administration/data/<str:kind>/          | POST | /administration/data/units/        | 302 403 403 403 403 403 403 403 403 403 403 403 200 403
administration/data/<str:kind>/template.xlsx | GET | /administration/data/accounts/template.xlsx | 302 403 403 403 403 403 403 403 403 403 403 403 200 403
administration/data/<str:kind>/export.xlsx | GET | /administration/data/units/export.xlsx | 302 403 403 403 403 403 403 403 403 403 403 403 200 403
administration/data/<str:kind>/export.xlsx | GET | /administration/data/accounts/export.xlsx | 302 403 403 403 403 403 403 403 403 403 403 403 200 403
administration/imports/<int:pk>/         | GET  | /administration/imports/{adm_imp}/ | 302 403 403 403 403 403 403 403 403 403 403 403 200 403
administration/imports/<int:pk>/         | GET  | /administration/imports/999999/    | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
administration/imports/<int:pk>/confirm/ | POST | /administration/imports/{adm_imp}/confirm/ | 302 403 403 403 403 403 403 403 403 403 403 403 302 403
administration/imports/<int:pk>/confirm/ | GET  | /administration/imports/{adm_imp}/confirm/ | 302 405 405 405 405 405 405 405 405 405 405 405 405 405
operations/health/                       | GET  | /operations/health/                | 302 403 403 403 403 403 403 403 403 403 403 403 200 403
operations/emails/                       | GET  | /operations/emails/                | 302 403 403 403 403 403 403 403 403 403 403 403 200 403
operations/emails/                       | POST | /operations/emails/                | 302 403 403 403 403 403 403 403 403 403 403 403 302 403
campaigns/                               | GET  | /campaigns/                        | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
campaigns/<int:pk>/                      | GET  | /campaigns/{c1}/                   | 302 200 200 200 200 200 200 200 200 200 200 200 200 403
campaigns/<int:pk>/statistics/           | GET  | /campaigns/{c1}/statistics/        | 302 200 200 200 200 200 200 200 200 200 200 200 403 403
campaigns/<int:pk>/statistics/           | GET  | /campaigns/999999/statistics/      | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
campaigns/<int:pk>/nominations/          | GET  | /campaigns/{c3}/nominations/        | 302 200 200 200 200 200 200 200 200 200 200 200 200 403
campaigns/<int:pk>/nominations/export.xlsx | GET | /campaigns/{c3}/nominations/export.xlsx | 302 200 200 200 200 200 200 200 200 200 200 200 403 403
campaigns/<int:pk>/nominations/export.xlsx | GET | /campaigns/{c3}/nominations/export.xlsx?status=draft&q=phan | 302 200 200 200 200 200 200 200 200 200 200 200 403 403
campaigns/<int:pk>/nominations/export.xlsx | GET | /campaigns/999999/nominations/export.xlsx | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
campaigns/<int:pk>/nominations/new/      | GET  | /campaigns/{c3}/nominations/new/    | 302 200 200 200 200 200 200 403 403 403 403 403 403 403
campaigns/<int:pk>/nominations/new/      | POST | /campaigns/{c3}/nominations/new/    | 302 200 200 200 200 200 200 403 403 403 403 403 403 403
campaigns/<int:pk>/dossiers/<int:award_type_pk>/new/ | GET | /campaigns/{c3}/dossiers/{gk}/new/ | 302 403 200 403 200 403 403 403 403 403 403 403 403 403
campaigns/<int:pk>/nominations/import/   | GET  | /campaigns/{c3}/nominations/import/ | 302 200 200 200 200 200 200 403 403 403 403 403 403 403
campaigns/<int:pk>/nominations/import/   | POST | /campaigns/{c3}/nominations/import/ | 302 200 200 200 200 200 200 403 403 403 403 403 403 403
campaigns/<int:pk>/nominations/import/template.xlsx | GET | /campaigns/{c3}/nominations/import/template.xlsx?tier={gk} | 302 200 200 200 200 200 200 403 403 403 403 403 403 403
campaigns/<int:pk>/nominations/import/<int:import_pk>/ | GET | /campaigns/{c3}/nominations/import/{imp_a}/ | 302 200 200 403 403 403 403 403 403 403 403 403 403 403
campaigns/<int:pk>/nominations/import/<int:import_pk>/ | GET | /campaigns/{c3}/nominations/import/{imp_a}/?format=json | 302 200 200 403 403 403 403 403 403 403 403 403 403 403
campaigns/<int:pk>/nominations/import/<int:import_pk>/ | GET | /campaigns/{c1}/nominations/import/{imp_a}/ | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
campaigns/<int:pk>/nominations/import/<int:import_pk>/ | GET | /campaigns/{c3}/nominations/import/999999/ | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
campaigns/<int:pk>/nominations/import/<int:import_pk>/confirm/ | POST | /campaigns/{c3}/nominations/import/{imp_a}/confirm/ | 302 302 302 403 403 403 403 403 403 403 403 403 403 403
campaigns/<int:pk>/nominations/import/<int:import_pk>/confirm/ | GET | /campaigns/{c3}/nominations/import/{imp_a}/confirm/ | 302 405 405 405 405 405 405 405 405 405 405 405 405 405
campaigns/<int:pk>/dossiers/<int:award_type_pk>/new/ | POST | /campaigns/{c3}/dossiers/{gk}/new/ | 302 403 200 403 200 403 403 403 403 403 403 403 403 403
nominations/                             | GET  | /nominations/                       | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
nominations/                             | POST | /nominations/                       | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
nominations/<int:pk>/                    | GET  | /nominations/{nom_draft}/           | 302 200 200 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/                    | GET  | /nominations/{nom_sent}/            | 302 200 200 403 403 403 403 200 200 403 403 403 403 403
nominations/<int:pk>/                    | GET  | /nominations/999999/                | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/edit/               | GET  | /nominations/{nom_draft}/edit/      | 302 200 200 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/edit/               | GET  | /nominations/{nom_sent}/edit/       | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/edit/               | POST | /nominations/{nom_draft}/edit/      | 302 200 200 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/prepared/           | POST | /nominations/{nom_draft}/prepared/  | 302 302 302 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/resubmit/           | POST | /nominations/{nom_sent}/resubmit/   | 302 403 302 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/withdraw/           | POST | /nominations/{nom_sent}/withdraw/   | 302 403 302 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/act/                | POST | /nominations/{nom_sent}/act/        | 302 403 403 403 403 403 403 302 302 403 403 403 403 403
nominations/<int:pk>/act/                | GET  | /nominations/{nom_sent}/act/        | 302 405 405 405 405 405 405 405 405 405 405 405 405 405
nominations/<int:pk>/files/              | POST | /nominations/{nom_draft}/files/     | 302 302 302 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/files/<int:file_pk>/ | GET | /nominations/{nom_draft}/files/{nom_file}/ | 302 200 200 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/files/<int:file_pk>/ | GET | /nominations/{nom_sent}/files/{nom_file}/ | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/files/<int:file_pk>/remove/ | GET | /nominations/{nom_draft}/files/{nom_file}/remove/ | 302 200 200 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/files/<int:file_pk>/remove/ | GET | /nominations/{nom_sent}/files/{nom_file}/remove/ | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/files/<int:file_pk>/remove/ | POST | /nominations/{nom_draft}/files/{nom_file}/remove/ | 302 302 302 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/achievement/        | POST | /nominations/{nom_sent}/achievement/ | 302 403 403 403 403 403 403 302 302 403 403 403 403 403
nominations/<int:pk>/achievement/        | GET  | /nominations/{nom_sent}/achievement/ | 302 405 405 405 405 405 405 405 405 405 405 405 405 405
nominations/<int:pk>/block/              | POST | /nominations/{nom_draft}/block/     | 302 302 302 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/block/              | POST | /nominations/{nom_sent}/block/      | 302 403 403 403 403 403 403 302 302 403 403 403 403 403
nominations/<int:pk>/claim/              | POST | /nominations/{nom_sent}/claim/      | 302 403 403 403 403 403 403 302 403 403 403 403 403 403
nominations/<int:pk>/claim/              | POST | /nominations/{nom_draft}/claim/     | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
nominations/<int:pk>/assign/             | POST | /nominations/{nom_sent}/assign/     | 302 403 403 403 403 403 403 302 403 403 403 403 403 403
nominations/<int:pk>/handoff/            | POST | /nominations/{nom_sent}/handoff/    | 302 403 403 403 403 403 403 302 302 403 403 403 403 403
nominations/<int:pk>/allow-duplicate/    | POST | /nominations/{nom_sent}/allow-duplicate/ | 302 403 403 403 403 403 403 302 403 403 403 403 403 403
campaigns/<int:pk>/decisions/            | GET  | /campaigns/{c3}/decisions/          | 302 200 200 200 200 200 200 200 200 200 200 200 200 403
campaigns/<int:pk>/decisions/new/<int:award_type_pk>/ | GET | /campaigns/{c3}/decisions/new/{gk}/ | 302 403 403 403 403 403 403 403 200 403 403 403 403 403
campaigns/<int:pk>/decisions/new/<int:award_type_pk>/ | POST | /campaigns/{c3}/decisions/new/{gk}/ | 302 403 403 403 403 403 403 403 200 403 403 403 403 403
campaigns/<int:pk>/decisions/new/<int:award_type_pk>/ | GET | /campaigns/{c3}/decisions/new/{bk_ministry}/ | 302 403 403 403 403 403 403 403 403 403 403 200 403 403
campaigns/<int:pk>/awardees.xlsx         | GET  | /campaigns/{c3}/awardees.xlsx       | 302 200 200 200 200 200 200 200 200 200 200 200 200 403
decisions/<int:pk>/                      | GET  | /decisions/{dec_issued}/            | 302 200 200 403 403 403 403 200 200 403 403 403 403 403
decisions/<int:pk>/                      | GET  | /decisions/{dec_draft}/             | 302 403 403 403 403 403 403 200 200 403 403 403 403 403
decisions/<int:pk>/                      | GET  | /decisions/999999/                  | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
decisions/<int:pk>/edit/                 | GET  | /decisions/{dec_draft}/edit/        | 302 403 403 403 403 403 403 403 200 403 403 403 403 403
decisions/<int:pk>/edit/                 | POST | /decisions/{dec_draft}/edit/        | 302 403 403 403 403 403 403 403 302 403 403 403 403 403
decisions/<int:pk>/edit/                 | GET  | /decisions/{dec_issued}/edit/       | 302 403 403 403 403 403 403 403 302 403 403 403 403 403
decisions/<int:pk>/discard/              | POST | /decisions/{dec_draft}/discard/     | 302 403 403 403 403 403 403 403 302 403 403 403 403 403
decisions/<int:pk>/discard/              | GET  | /decisions/{dec_draft}/discard/     | 302 405 405 405 405 405 405 405 405 405 405 405 405 405
decisions/<int:pk>/issue/                | POST | /decisions/{dec_draft}/issue/       | 302 403 403 403 403 403 403 403 302 403 403 403 403 403
decisions/<int:pk>/revoke/               | GET  | /decisions/{dec_issued}/revoke/     | 302 403 403 403 403 403 403 403 200 403 403 403 403 403
decisions/<int:pk>/revoke/               | POST | /decisions/{dec_issued}/revoke/     | 302 403 403 403 403 403 403 403 200 403 403 403 403 403
decisions/<int:pk>/correct/              | GET  | /decisions/{dec_issued}/correct/    | 302 403 403 403 403 403 403 403 200 403 403 403 403 403
decisions/<int:pk>/correct/              | POST | /decisions/{dec_issued}/correct/    | 302 403 403 403 403 403 403 403 200 403 403 403 403 403
decisions/<int:pk>/correct/              | GET  | /decisions/{dec_draft}/correct/     | 302 403 403 403 403 403 403 403 302 403 403 403 403 403
decisions/<int:pk>/revoke/               | GET  | /decisions/{dec_draft}/revoke/      | 302 403 403 403 403 403 403 403 302 403 403 403 403 403
decisions/<int:pk>/documents/            | GET  | /decisions/{dec_issued}/documents/  | 302 200 200 403 403 403 403 200 200 403 403 403 403 403
decisions/<int:pk>/documents/            | POST | /decisions/{dec_draft}/documents/   | 302 403 403 403 403 403 403 403 302 403 403 403 403 403
decisions/<int:pk>/documents/<str:kind>/ | GET  | /decisions/{dec_issued}/documents/decision_pdf/ | 302 200 200 403 403 403 403 200 200 403 403 403 403 403
decisions/<int:pk>/documents/<str:kind>/ | GET  | /decisions/{dec_issued}/documents/certificates_pdf/ | 302 403 403 403 403 403 403 200 200 403 403 403 403 403
decisions/<int:pk>/documents/<str:kind>/ | GET  | /decisions/{dec_issued}/documents/nonsense/ | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
decisions/<int:pk>/scan/                 | GET  | /decisions/{dec_issued}/scan/       | 302 200 200 403 403 403 403 200 200 403 403 403 403 403
handoffs/<int:pk>/documents/<str:kind>/  | GET  | /handoffs/{handoff}/documents/handoff_docx/ | 302 403 403 403 403 403 403 200 200 200 200 403 403 403
handoffs/<int:pk>/documents/<str:kind>/  | GET  | /handoffs/{handoff}/documents/handoff_xlsx/ | 302 403 403 403 403 403 403 200 200 200 200 403 403 403
dossiers/<int:pk>/                       | GET  | /dossiers/{dossier}/                | 302 200 200 403 403 403 403 200 200 403 403 403 403 403
dossiers/<int:pk>/submission.docx        | GET  | /dossiers/{dossier}/submission.docx | 302 200 200 403 403 403 403 200 200 403 403 403 403 403
dossiers/<int:pk>/files/<int:file_pk>/   | GET  | /dossiers/{dossier}/files/{minutes}/ | 302 200 200 403 403 403 403 200 200 403 403 403 403 403
campaigns/<int:pk>/report/               | POST | /campaigns/{c1}/report/            | 302 302 302 302 302 302 403 403 403 403 403 403 403 403
campaigns/<int:pk>/report/               | GET  | /campaigns/{c1}/report/            | 302 405 405 405 405 405 405 405 405 405 405 405 405 405
campaigns/<int:pk>/consolidation/        | GET  | /campaigns/{c2}/consolidation/     | 302 403 403 403 403 403 403 200 200 403 403 403 403 403
campaigns/<int:pk>/consolidation/<str:code>/ | GET | /campaigns/{c2}/consolidation/II.1.h/ | 302 403 403 403 403 403 403 200 200 403 403 403 403 403
reports/<int:pk>/                        | GET  | /reports/{draft_a}/                | 302 200 200 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/                        | GET  | /reports/{sent_a}/                 | 302 200 200 403 403 403 403 200 200 200 200 403 403 403
campaigns/<int:pk>/consolidation-today/  | GET  | /campaigns/{c2}/consolidation-today/ | 302 403 403 403 403 403 403 200 200 403 403 403 403 403
campaigns/<int:pk>/consolidation-today/  | GET  | /campaigns/999999/consolidation-today/ | 302 403 403 403 403 403 403 403 403 403 403 403 403 403
campaigns/<int:pk>/consolidation.xlsx    | GET  | /campaigns/{c2}/consolidation.xlsx | 302 403 403 403 403 403 403 200 200 403 403 403 403 403
campaigns/<int:pk>/summary.docx          | GET  | /campaigns/{c2}/summary.docx       | 302 403 403 403 403 403 403 200 200 403 403 403 403 403
reports/<int:pk>/report.docx             | GET  | /reports/{sent_a}/report.docx      | 302 200 200 403 403 403 403 200 200 200 200 403 403 403
reports/<int:pk>/report.docx             | GET  | /reports/{draft_a}/report.docx     | 302 200 200 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/report.pdf              | GET  | /reports/{sent_a}/report.pdf       | 302 200 200 403 403 403 403 200 200 200 200 403 403 403
reports/<int:pk>/attachments/            | POST | /reports/{draft_a}/attachments/    | 302 302 302 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/attachments/<int:attachment_pk>/ | GET | /reports/{sent_a}/attachments/{att_sent}/ | 302 200 200 403 403 403 403 200 200 200 200 403 403 403
reports/<int:pk>/attachments/<int:attachment_pk>/ | GET | /reports/{draft_a}/attachments/{att_draft}/ | 302 200 200 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/attachments/<int:attachment_pk>/delete/ | POST | /reports/{sent_a}/attachments/{att_sent}/delete/ | 302 302 302 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/attachments/<int:attachment_pk>/delete/ | POST | /reports/{draft_a}/attachments/{att_draft}/delete/ | 302 302 403 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/attachments/<int:attachment_pk>/delete/ | GET | /reports/{draft_a}/attachments/{att_draft}/delete/ | 302 200 200 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/attachments/<int:attachment_pk>/delete/ | GET | /reports/{sent_a}/attachments/{att_sent}/delete/ | 302 302 302 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/compare/<int:number>/   | GET  | /reports/{sent_a}/compare/1/       | 302 404 404 403 403 403 403 404 404 404 404 403 403 403
reports/<int:pk>/edit/                   | GET  | /reports/{draft_a}/edit/           | 302 200 200 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/edit/                   | POST | /reports/{draft_a}/edit/           | 302 409 409 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/edit/                   | GET  | /reports/{sent_a}/edit/            | 302 302 302 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/submit/                 | POST | /reports/{sent_a}/submit/          | 302 403 302 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/submit/                 | POST | /reports/{draft_a}/submit/         | 302 403 302 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/submit/                 | GET  | /reports/{draft_a}/submit/         | 302 403 200 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/submit/                 | GET  | /reports/{sent_a}/submit/          | 302 403 302 403 403 403 403 403 403 403 403 403 403 403
reports/<int:pk>/review/                 | POST | /reports/{sent_a}/review/          | 302 403 403 403 403 403 403 302 403 403 403 403 403 403
reports/<int:pk>/reopen/                 | POST | /reports/{sent_a}/reopen/          | 302 403 403 403 403 403 403 302 403 403 403 403 403 403
account/api-tokens/                      | GET  | /account/api-tokens/               | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
account/api-tokens/                      | POST | /account/api-tokens/               | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
account/api-tokens/<int:pk>/revoke/      | POST | /account/api-tokens/{token}/revoke/ | 302 302 403 403 403 403 403 403 403 403 403 403 403 403
account/api-tokens/<int:pk>/revoke/      | GET  | /account/api-tokens/{token}/revoke/ | 302 405 405 405 405 405 405 405 405 405 405 405 405 405
api/schema/                              | GET  | /api/schema/                       | 401 200 200 200 200 200 200 200 200 200 200 200 200 200
api/docs/                                | GET  | /api/docs/                         | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
api/redoc/                               | GET  | /api/redoc/                        | 302 200 200 200 200 200 200 200 200 200 200 200 200 200
api/v1/^                                 | GET  | /api/v1/nothing-here/              | 404 404 404 404 404 404 404 404 404 404 404 404 404 404
api/v1/units/                            | GET  | /api/v1/units/                     | 401 200 200 200 200 200 200 200 200 200 200 200 200 200
api/v1/units/<int:pk>/                   | GET  | /api/v1/units/{a}/                 | 401 200 200 403 403 403 403 200 200 200 200 403 200 403
api/v1/units/<int:pk>/                   | GET  | /api/v1/units/{commune}/           | 401 403 403 403 403 200 200 200 200 200 200 403 200 403
api/v1/units/<int:pk>/                   | GET  | /api/v1/units/999999/              | 401 403 403 403 403 403 403 403 403 403 403 403 403 403
api/v1/campaigns/                        | GET  | /api/v1/campaigns/                 | 401 200 200 200 200 200 200 200 200 200 200 200 200 200
api/v1/campaigns/<int:pk>/               | GET  | /api/v1/campaigns/{c1}/            | 401 200 200 200 200 200 200 200 200 200 200 200 200 403
api/v1/campaigns/<int:pk>/consolidation/ | GET  | /api/v1/campaigns/{c2}/consolidation/ | 401 403 403 403 403 403 403 200 200 403 403 403 403 403
api/v1/reports/                          | GET  | /api/v1/reports/                   | 401 200 200 200 200 200 200 200 200 200 200 200 200 200
api/v1/reports/<int:pk>/                 | GET  | /api/v1/reports/{draft_a}/         | 401 200 200 403 403 403 403 403 403 403 403 403 403 403
api/v1/reports/<int:pk>/                 | GET  | /api/v1/reports/{sent_a}/          | 401 200 200 403 403 403 403 200 200 200 200 403 403 403
api/v1/reports/<int:pk>/answers/         | PATCH | /api/v1/reports/{draft_a}/answers/ | 401 400 400 403 403 403 403 403 403 403 403 403 403 403
api/v1/reports/<int:pk>/answers/         | PATCH | /api/v1/reports/{sent_a}/answers/  | 401 400 400 403 403 403 403 403 403 403 403 403 403 403
api/v1/nominations/                      | GET  | /api/v1/nominations/               | 401 200 200 200 200 200 200 200 200 200 200 200 200 200
api/v1/nominations/                      | POST | /api/v1/nominations/               | 401 400 400 400 400 400 400 403 403 403 403 403 403 403
api/v1/nominations/inbox/                | GET  | /api/v1/nominations/inbox/         | 401 200 200 200 200 200 200 200 200 200 200 200 200 200
api/v1/nominations/<int:pk>/             | GET  | /api/v1/nominations/{nom_draft}/   | 401 200 200 403 403 403 403 403 403 403 403 403 403 403
api/v1/nominations/<int:pk>/             | GET  | /api/v1/nominations/{nom_sent}/    | 401 200 200 403 403 403 403 200 200 403 403 403 403 403
api/v1/nominations/<int:pk>/             | GET  | /api/v1/nominations/999999/        | 401 403 403 403 403 403 403 403 403 403 403 403 403 403
api/v1/nominations/<int:pk>/             | PATCH | /api/v1/nominations/{nom_draft}/  | 401 400 400 403 403 403 403 403 403 403 403 403 403 403
api/v1/nominations/<int:pk>/             | PATCH | /api/v1/nominations/{nom_sent}/   | 401 403 403 403 403 403 403 403 403 403 403 403 403 403
api/v1/nominations/<int:pk>/approve/     | POST | /api/v1/nominations/{nom_sent}/approve/ | 401 403 403 403 403 403 403 400 400 403 403 403 403 403
api/v1/nominations/<int:pk>/approve/     | GET  | /api/v1/nominations/{nom_sent}/approve/ | 401 405 405 405 405 405 405 405 405 405 405 405 405 405
api/v1/nominations/<int:pk>/return/      | POST | /api/v1/nominations/{nom_sent}/return/  | 401 403 403 403 403 403 403 400 400 403 403 403 403 403
api/v1/nominations/<int:pk>/refuse/      | POST | /api/v1/nominations/{nom_sent}/refuse/  | 401 403 403 403 403 403 403 400 400 403 403 403 403 403
api/v1/nominations/<int:pk>/handoff/     | POST | /api/v1/nominations/{nom_sent}/handoff/ | 401 403 403 403 403 403 403 400 400 403 403 403 403 403
api/v1/nominations/<int:pk>/handoff/     | POST | /api/v1/nominations/{nom_draft}/handoff/ | 401 403 403 403 403 403 403 403 403 403 403 403 403 403
api/v1/dossiers/<int:pk>/                | GET  | /api/v1/dossiers/{dossier}/        | 401 200 200 403 403 403 403 200 200 403 403 403 403 403
api/v1/decisions/                        | GET  | /api/v1/decisions/                 | 401 200 200 200 200 200 200 200 200 200 200 200 200 200
api/v1/decisions/<int:pk>/               | GET  | /api/v1/decisions/{dec_issued}/    | 401 200 200 403 403 403 403 200 200 403 403 403 403 403
api/v1/decisions/<int:pk>/               | GET  | /api/v1/decisions/{dec_draft}/     | 401 403 403 403 403 403 403 200 200 403 403 403 403 403
api/v1/decisions/<int:pk>/documents/<str:kind>/ | GET | /api/v1/decisions/{dec_issued}/documents/decision_pdf/ | 401 200 200 403 403 403 403 200 200 403 403 403 403 403
api/v1/decisions/<int:pk>/documents/<str:kind>/ | GET | /api/v1/decisions/{dec_issued}/documents/certificates_pdf/ | 401 403 403 403 403 403 403 200 200 403 403 403 403 403
api/v1/decisions/<int:pk>/documents/<str:kind>/ | GET | /api/v1/decisions/{dec_issued}/documents/nonsense/ | 401 403 403 403 403 403 403 403 403 403 403 403 403 403
api/v1/decisions/<int:pk>/scan/          | GET  | /api/v1/decisions/{dec_issued}/scan/ | 401 200 200 403 403 403 403 200 200 403 403 403 403 403
api/v1/notifications/                    | GET  | /api/v1/notifications/             | 401 200 200 200 200 200 200 200 200 200 200 200 200 200
api/v1/notifications/read/               | POST | /api/v1/notifications/read/        | 401 200 200 200 200 200 200 200 200 200 200 200 200 200
api/v1/notifications/<int:pk>/read/      | POST | /api/v1/notifications/{notif}/read/ | 401 200 404 404 404 404 404 404 404 404 404 404 404 404
admin/awards/apitoken/                   | GET  | /admin/awards/apitoken/            | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/apitoken/add/               | GET  | /admin/awards/apitoken/add/        | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/apitoken/<path:object_id>/history/ | GET | /admin/awards/apitoken/{token}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/apitoken/<path:object_id>/delete/  | GET | /admin/awards/apitoken/{token}/delete/  | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/apitoken/<path:object_id>/change/  | GET | /admin/awards/apitoken/{token}/change/  | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/apitoken/<path:object_id>/  | GET  | /admin/awards/apitoken/{token}/    | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/                                   | GET  | /admin/                            | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/login/                             | GET  | /admin/login/                      | 200 200 200 200 200 200 200 200 200 200 200 200 302 200
admin/logout/                            | POST | /admin/logout/                     | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/password_change/                   | GET  | /admin/password_change/            | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/password_change/done/              | GET  | /admin/password_change/done/       | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/autocomplete/                      | GET  | /admin/autocomplete/?app_label=awards&model_name=unit&field_name=parent | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/jsi18n/                            | GET  | /admin/jsi18n/                     | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/r/<path:content_type_id>/<path:object_id>/ | GET | /admin/r/{ct_unit}/{a}/       | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/^(?P<app_label>axes|awards)/$      | GET  | /admin/awards/                     | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/(?P<url>.*)$                       | GET  | /admin/nothing-here/               | 302 302 302 302 302 302 302 302 302 302 302 302 404 302
admin/awards/unit/                       | GET  | /admin/awards/unit/                | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/unit/add/                   | GET  | /admin/awards/unit/add/            | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/unit/<path:object_id>/history/ | GET | /admin/awards/unit/{a}/history/  | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/unit/<path:object_id>/delete/  | GET | /admin/awards/unit/{a}/delete/   | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/unit/<path:object_id>/change/  | GET | /admin/awards/unit/{a}/change/   | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/unit/<path:object_id>/      | GET  | /admin/awards/unit/{a}/            | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/awards/unitlineage/                | GET  | /admin/awards/unitlineage/         | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/unitlineage/add/            | GET  | /admin/awards/unitlineage/add/     | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/unitlineage/<path:object_id>/history/ | GET | /admin/awards/unitlineage/{lineage}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/unitlineage/<path:object_id>/delete/  | GET | /admin/awards/unitlineage/{lineage}/delete/  | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/unitlineage/<path:object_id>/change/  | GET | /admin/awards/unitlineage/{lineage}/change/  | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/unitlineage/<path:object_id>/ | GET | /admin/awards/unitlineage/{lineage}/     | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/awards/membership/                 | GET  | /admin/awards/membership/          | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/membership/add/             | GET  | /admin/awards/membership/add/      | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/membership/<path:object_id>/history/ | GET | /admin/awards/membership/{m_a}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/membership/<path:object_id>/delete/  | GET | /admin/awards/membership/{m_a}/delete/  | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/membership/<path:object_id>/change/  | GET | /admin/awards/membership/{m_a}/change/  | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/membership/<path:object_id>/ | GET | /admin/awards/membership/{m_a}/         | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/awards/user/<id>/password/         | GET  | /admin/awards/user/{u_a}/password/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/user/                       | GET  | /admin/awards/user/                | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/user/add/                   | GET  | /admin/awards/user/add/            | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/user/<path:object_id>/history/ | GET | /admin/awards/user/{u_a}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/user/<path:object_id>/delete/  | GET | /admin/awards/user/{u_a}/delete/  | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/user/<path:object_id>/change/  | GET | /admin/awards/user/{u_a}/change/  | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/user/<path:object_id>/      | GET  | /admin/awards/user/{u_a}/          | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/awards/auditevent/                 | GET  | /admin/awards/auditevent/          | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/auditevent/add/             | GET  | /admin/awards/auditevent/add/      | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/auditevent/<path:object_id>/history/ | GET | /admin/awards/auditevent/{event}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/auditevent/<path:object_id>/delete/  | GET | /admin/awards/auditevent/{event}/delete/  | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/auditevent/<path:object_id>/change/  | GET | /admin/awards/auditevent/{event}/change/  | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/auditevent/<path:object_id>/ | GET | /admin/awards/auditevent/{event}/          | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/awards/campaign/ | GET | /admin/awards/campaign/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/campaign/add/ | GET | /admin/awards/campaign/add/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/campaign/<path:object_id>/history/ | GET | /admin/awards/campaign/{c1}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/campaign/<path:object_id>/delete/ | GET | /admin/awards/campaign/{c1}/delete/ | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/campaign/<path:object_id>/change/ | GET | /admin/awards/campaign/{c1}/change/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/campaign/<path:object_id>/ | GET | /admin/awards/campaign/{c1}/ | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/awards/awardtype/ | GET | /admin/awards/awardtype/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/awardtype/add/ | GET | /admin/awards/awardtype/add/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/awardtype/<path:object_id>/history/ | GET | /admin/awards/awardtype/{tier}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/awardtype/<path:object_id>/delete/ | GET | /admin/awards/awardtype/{tier}/delete/ | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/awardtype/<path:object_id>/change/ | GET | /admin/awards/awardtype/{tier}/change/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/awardtype/<path:object_id>/ | GET | /admin/awards/awardtype/{tier}/ | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/awards/basesalary/ | GET | /admin/awards/basesalary/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/basesalary/add/ | GET | /admin/awards/basesalary/add/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/basesalary/<path:object_id>/history/ | GET | /admin/awards/basesalary/{salary}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/basesalary/<path:object_id>/delete/ | GET | /admin/awards/basesalary/{salary}/delete/ | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/basesalary/<path:object_id>/change/ | GET | /admin/awards/basesalary/{salary}/change/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/basesalary/<path:object_id>/ | GET | /admin/awards/basesalary/{salary}/ | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/awards/workdaychange/ | GET | /admin/awards/workdaychange/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/workdaychange/add/ | GET | /admin/awards/workdaychange/add/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/workdaychange/<path:object_id>/history/ | GET | /admin/awards/workdaychange/{swap}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/workdaychange/<path:object_id>/delete/ | GET | /admin/awards/workdaychange/{swap}/delete/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/workdaychange/<path:object_id>/change/ | GET | /admin/awards/workdaychange/{swap}/change/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/workdaychange/<path:object_id>/ | GET | /admin/awards/workdaychange/{swap}/ | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/awards/legalbasis/ | GET | /admin/awards/legalbasis/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/legalbasis/add/ | GET | /admin/awards/legalbasis/add/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/legalbasis/<path:object_id>/history/ | GET | /admin/awards/legalbasis/{basis}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/legalbasis/<path:object_id>/delete/ | GET | /admin/awards/legalbasis/{basis}/delete/ | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/legalbasis/<path:object_id>/change/ | GET | /admin/awards/legalbasis/{basis}/change/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/legalbasis/<path:object_id>/ | GET | /admin/awards/legalbasis/{basis}/ | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/awards/reportoutline/ | GET | /admin/awards/reportoutline/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/reportoutline/add/ | GET | /admin/awards/reportoutline/add/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/reportoutline/<path:object_id>/history/ | GET | /admin/awards/reportoutline/{outline}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/reportoutline/<path:object_id>/delete/ | GET | /admin/awards/reportoutline/{outline}/delete/ | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/reportoutline/<path:object_id>/change/ | GET | /admin/awards/reportoutline/{outline}/change/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/reportoutline/<path:object_id>/ | GET | /admin/awards/reportoutline/{outline}/ | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/awards/reorganisation/ | GET | /admin/awards/reorganisation/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/reorganisation/add/ | GET | /admin/awards/reorganisation/add/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/reorganisation/<path:object_id>/history/ | GET | /admin/awards/reorganisation/{reorg}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/reorganisation/<path:object_id>/delete/ | GET | /admin/awards/reorganisation/{reorg}/delete/ | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/awards/reorganisation/<path:object_id>/change/ | GET | /admin/awards/reorganisation/{reorg}/change/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/reorganisation/<path:object_id>/ | GET | /admin/awards/reorganisation/{reorg}/ | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
admin/awards/reorganisation/<int:pk>/preview/ | GET | /admin/awards/reorganisation/{reorg}/preview/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/reorganisation/<int:pk>/preview/ | POST | /admin/awards/reorganisation/{reorg}/preview/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/reorganisation/<int:pk>/undo/ | GET | /admin/awards/reorganisation/{reorg}/undo/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/reorganisation/<int:pk>/undo/ | POST | /admin/awards/reorganisation/{reorg}/undo/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/unit/<int:pk>/inherited/<int:user_pk>/ | GET | /admin/awards/unit/{other_commune}/inherited/{u_commune}/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/awards/unit/<int:pk>/inherited/<int:user_pk>/ | POST | /admin/awards/unit/{other_commune}/inherited/{u_commune}/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/axes/accessattempt/                | GET  | /admin/axes/accessattempt/         | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/axes/accessattempt/add/            | GET  | /admin/axes/accessattempt/add/     | 302 302 302 302 302 302 302 302 302 302 302 302 403 302
admin/axes/accessattempt/<path:object_id>/history/ | GET | /admin/axes/accessattempt/{attempt}/history/ | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/axes/accessattempt/<path:object_id>/delete/  | GET | /admin/axes/accessattempt/{attempt}/delete/  | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/axes/accessattempt/<path:object_id>/change/  | GET | /admin/axes/accessattempt/{attempt}/change/  | 302 302 302 302 302 302 302 302 302 302 302 302 200 302
admin/axes/accessattempt/<path:object_id>/ | GET | /admin/axes/accessattempt/{attempt}/         | 302 302 302 302 302 302 302 302 302 302 302 302 302 302
"""


def parse_matrix() -> list[tuple[str, str, str, dict[str, int]]]:
    rows = []
    for line in MATRIX.strip().splitlines():
        route, method, path, codes = (part.strip() for part in line.rsplit("|", 3))
        statuses = [int(code) for code in codes.split()]
        assert len(statuses) == len(PERSONA_COLUMNS), f"row {route} {path}: {len(statuses)} columns"
        rows.append((route, method, path, dict(zip(PERSONA_COLUMNS, statuses, strict=True))))
    return rows


def all_routes(patterns=None, prefix="") -> set[str]:
    routes = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            routes |= all_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.add(prefix + str(pattern.pattern))
    return routes


def test_every_url_pattern_is_in_the_matrix():
    covered = {route for route, *_ in parse_matrix()}
    missing = all_routes() - covered
    assert not missing, f"URL patterns missing from the permission matrix: {sorted(missing)}"
    stale = covered - all_routes()
    assert not stale, f"matrix rows for URL patterns that no longer exist: {sorted(stale)}"


def view_modules(patterns=None) -> set[str]:
    modules = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            modules |= view_modules(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            callback = getattr(pattern.callback, "view_class", pattern.callback)
            modules.add(callback.__module__)
    return modules


def test_viewflows_own_process_and_task_views_are_not_mounted():
    """Its frontend lets any holder of the model-wide view permission open every process, and its task
    actions (assign, unassign, undo, cancel) bypass our scoping and services. Users take, hand over and
    withdraw through our own pages (rows above); mounting viewflow's views must come with their rows."""
    assert not {m for m in view_modules() if m.startswith("viewflow")}


def reports_of(org) -> dict[str, int]:
    """Unit A's draft in one campaign and its submitted report in another."""
    c1, c2 = build_campaign(org), build_campaign(org, plan_number="182")
    officer, head = org.actor("officer_a"), org.actor("head_a")
    draft = report_services.report_start(by=officer, campaign=c1, unit=org.units["a"])
    sent = report_services.report_start(by=officer, campaign=c2, unit=org.units["a"])
    report_services.report_save_draft(by=officer, report=sent, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    attachments = {
        key: report_services.attachment_add(by=officer, report=report, kind="scan", uploaded_file=SimpleUploadedFile(
            "scan.pdf", pdf_bytes(), content_type="application/pdf")).pk
        for key, report in (("att_draft", draft), ("att_sent", sent))
    }  # fmt: skip
    report_services.report_submit(by=head, report=sent)
    basis = campaign_services.legal_basis_ensure(
        number="06/2022/QH15", doc_type="Luật", issued_on=dt.date(2022, 6, 15), title="Luật Thi đua, khen thưởng",
        in_force_from=dt.date(2024, 1, 1),
    )  # fmt: skip
    tiers = standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                           province=org.units["province"], ministry=org.units["ministry"])  # fmt: skip
    return {"c1": c1.pk, "c2": c2.pk, "draft_a": draft.pk, "sent_a": sent.pk, "basis": basis.pk,
            "outline": c1.outline_id, "tier": tiers[0].pk, **attachments, **nominations_of(org, tiers)}  # fmt: skip


def nominations_of(org, tiers) -> dict[str, int]:
    """In a third campaign: unit A's accepted report, a draft nomination and one sent to the police."""
    from awards.services import nominations as nomination_services
    from tests.test_nominations import PERSON

    c3 = build_campaign(org, plan_number="183")
    nomination_services.campaign_offer(by=None, campaign=c3, award_types=tiers)
    officer, head = org.actor("officer_a"), org.actor("head_a")
    report = report_services.report_start(by=officer, campaign=c3, unit=org.units["a"])
    report_services.report_save_draft(by=officer, report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    report_services.report_submit(by=head, report=report)
    report_services.report_accept(by=org.actor("police"), report=report)
    giay_khen = tiers[2]
    draft = nomination_services.nomination_create(by=officer, campaign=c3, award_type=giay_khen, kind="individual",
                                                  **PERSON)  # fmt: skip
    sent = nomination_services.nomination_create(by=officer, campaign=c3, award_type=giay_khen, kind="individual",
                                                 **{**PERSON, "name": "Trần Thị Bình", "gender": "female",
                                                    "id_number": ""})  # fmt: skip
    dossier = nomination_services.dossier_submit(
        by=head, campaign=c3, award_type=giay_khen, nominations=[sent], number="15/TTr-CT", date=dt.date(2024, 7, 10),
        signer="Lê Văn Bình", council_members=7, council_present=6, votes_for=6,
        minutes=SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), content_type="application/pdf"),
    )  # fmt: skip
    achievement = nomination_services.nomination_file_add(
        by=officer, nomination=draft, kind="achievement",
        uploaded_file=SimpleUploadedFile("bao-cao-thanh-tich.pdf", pdf_bytes(), content_type="application/pdf"),
    )  # fmt: skip
    return {"c3": c3.pk, "gk": giay_khen.pk, "nom_draft": draft.pk, "nom_sent": sent.pk, "dossier": dossier.pk,
            "minutes": dossier.files.get().pk, "nom_file": achievement.pk, "bk_ministry": tiers[0].pk,
            "imp_a": import_of(org, c3, giay_khen), **decisions_of(org, c3, tiers)}  # fmt: skip


def import_of(org, campaign, tier) -> int:
    """Unit A's officer's nominee list, previewed and not yet confirmed."""
    from awards.services import imports as import_services
    from tests.test_nominee_import import AN, workbook_bytes

    made = import_services.import_preview(by=org.actor("officer_a"), campaign=campaign, award_type=tier,
                                          uploaded_file=SimpleUploadedFile("ds.xlsx", workbook_bytes([AN])))  # fmt: skip
    return made.pk


def decisions_of(org, campaign, tiers) -> dict[str, int]:
    """Unit A's Giấy khen nominees: one in an issued decision, one in a draft; a Chairman's nominee sent on by
    the police to Home Affairs with its tờ trình."""
    from awards.models import Step
    from awards.services import decisions as decision_services
    from awards.services import nominations as nomination_services
    from tests.test_nominations import PERSON

    officer, head = org.actor("officer_a"), org.actor("head_a")

    def sent(tier, name):
        nomination = nomination_services.nomination_create(by=officer, campaign=campaign, award_type=tier,
                                                           kind="individual", **{**PERSON, "name": name, "id_number": ""})  # fmt: skip
        nomination_services.dossier_submit(
            by=head, campaign=campaign, award_type=tier, nominations=[nomination], number="16/TTr-CT",
            date=dt.date(2024, 7, 11), signer="Lê Văn Bình", council_members=7, council_present=6, votes_for=6,
            minutes=SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), content_type="application/pdf"),
        )  # fmt: skip
        return nomination

    awaiting = []
    for name in ("Phan Văn Một", "Phan Văn Hai"):
        nomination = sent(tiers[2], name)
        nomination_services.handoff_send(by=org.actor("police"), nominations=[nomination], number="121/TTr-PV01",
                                         date=timezone.localdate(), signer="Đỗ Minh Khoa")  # fmt: skip
        nomination_services.nomination_act(by=org.actor("director"), nomination=nomination,
                                           step=Step.DIRECTOR_APPROVAL, outcome="approved")  # fmt: skip
        awaiting.append(nomination)
    director = org.actor("director")
    issued = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers[2],
                                              nominations=[awaiting[0]], signer="Nguyễn Văn Giám")  # fmt: skip
    decision_services.decision_issue(by=director, decision=issued, number=1, date=timezone.localdate(), scan=SimpleUploadedFile(
        "qd.pdf", pdf_bytes(), content_type="application/pdf"))  # fmt: skip
    draft = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers[2],
                                             nominations=[awaiting[1]])  # fmt: skip
    handoff = nomination_services.handoff_send(by=org.actor("police"), nominations=[sent(tiers[1], "Phan Văn Ba")],
                                               number="88/TTr-CAT", date=timezone.localdate(), signer="Giám đốc")  # fmt: skip
    # Unit A's officer's workbook of its awardees, built as a background export would be.
    from awards.services import exports as export_services

    export = export_services.export_request(by=officer, kind="awardees_xlsx", campaign=campaign, rows=1)
    assert export_services.export_build(export.pk) == "built"
    return {"dec_issued": issued.pk, "dec_draft": draft.pk, "handoff": handoff.pk, "export_a": export.pk}


def admin_import_of(org) -> int:
    """The administrator's file of one new unit, previewed and not yet confirmed."""
    from awards.services import admin_imports
    from tests.test_admin_imports import UNIT_HEADERS, XA_A, workbook

    row = [*XA_A]
    row[4] = "UBND-H"
    made = admin_imports.import_preview(by=org.actor("admin"), kind="units",
                                        uploaded_file=SimpleUploadedFile("dv.xlsx", workbook([row], UNIT_HEADERS)))  # fmt: skip
    return made.pk


def objects_of(org) -> dict[str, object]:
    lineage = UnitLineage.objects.create(
        predecessor=org.units["other_commune"], successor=org.units["commune"], kind="merged", effective_on="2025-07-01"
    )
    # A draft reorganisation merging a unit into itself: refused (nothing is applied by a row).
    reorganisation = reorganisation_services.reorganisation_create(
        by=None, title="Sắp xếp thử", effective_on=dt.date(2025, 7, 1), legal_basis="Nghị quyết số 1/NQ-T"
    )
    reorganisation_services.change_add(by=None, reorganisation=reorganisation, kind="merge",
                                       predecessors=[org.units["a"]], successors=[org.units["a"]])  # fmt: skip
    attempt = AccessAttempt.objects.create(username="someone", ip_address="10.0.0.9", failures_since_start=1)
    return {
        **{key: unit.pk for key, unit in org.units.items()},
        "m_a": org.memberships["officer_a"].pk,
        "u_a": org.users["officer_a"].pk,
        "u_commune": org.users["commune"].pk,
        "reorg": reorganisation.pk,
        "lineage": lineage.pk,
        "event": AuditEvent.objects.order_by("pk").first().pk,
        "attempt": attempt.pk,
        "ct_unit": ContentType.objects.get_for_model(Unit).pk,
        "adm_imp": admin_import_of(org),
        "swap": WorkdayChange.objects.create(day="2027-03-06", kind="working").pk,
        "salary": BaseSalary.objects.get_or_create(in_force_from="2024-07-01", defaults={"amount": 2_340_000})[0].pk,
        **reports_of(org),
        # Unit A's officer's personal API token (the API's own rows use the personas' sessions).
        "token": api_services.token_create(by=org.actor("officer_a"), name="Hệ thống", days=30)[0].pk,
        # Unit A's officer was told its report was accepted (in reports_of).
        "notif": Notification.objects.filter(recipient=org.users["officer_a"]).order_by("pk").first().pk,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas and objects, committed once for the module (each row still runs in a rolled-back
    transaction, so what a request changes never leaks into the next row)."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    with django_db_blocker.unblock():
        with transaction.atomic():
            org = build_org()
            objects = objects_of(org)
            # Log every persona in once; each row reuses the session cookie.
            cookies = {persona: org.client(persona).cookies for persona in PERSONA_COLUMNS}
        yield org, objects, cookies
        call_command("flush", interactive=False, verbosity=0)
    media.disable()


@pytest.mark.parametrize(
    ("route", "method", "path", "expected"),
    parse_matrix(),
    ids=[f"{method} {path}" for _route, method, path, _expected in parse_matrix()],
)
def test_permission_matrix(world, db, route, method, path, expected):
    org, objects, cookies = world
    url = path.format(**objects)
    seen = {}
    for persona in PERSONA_COLUMNS:
        client = Client()
        client.cookies = copy.deepcopy(cookies[persona])
        data = {"membership": org.memberships[persona].pk} if persona in org.memberships else {}
        if method == "GET":
            response = client.get(url)
        elif path.startswith("/api/"):  # the API reads JSON: "membership" is then a field it does not take (400)
            response = client.generic(method, url, json.dumps(data), content_type="application/json")
        else:
            response = client.post(url, data)
        seen[persona] = response.status_code
    assert seen == expected
