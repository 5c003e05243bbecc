"""One upload limit, PARKDASH_UPLOAD_MAX_BYTES, named in every message about it."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings

from parkdash.core import uploads
from parkdash.intake.forms import UploadForm


class UploadLimitTests(SimpleTestCase):
    @override_settings(PARKDASH_UPLOAD_MAX_BYTES=1024 * 1024)
    def test_a_file_over_the_limit_is_refused_with_the_limit_in_the_message(self):
        with self.assertRaisesMessage(uploads.UploadRejected, "The file is 1.5 MB; the limit is 1 MB."):
            uploads.check_size(SimpleUploadedFile("big.txt", b"x" * (1536 * 1024)))

    @override_settings(PARKDASH_UPLOAD_MAX_BYTES=1024 * 1024)
    def test_a_file_at_the_limit_passes(self):
        uploads.check_size(SimpleUploadedFile("ok.txt", b"x" * (1024 * 1024)))

    @override_settings(PARKDASH_UPLOAD_MAX_BYTES=2 * 1024 * 1024)
    def test_the_summary_upload_form_names_the_limit(self):
        self.assertIn("at most 2 MB", str(UploadForm().fields["upload"].help_text))


class ImportRowBoundTests(SimpleTestCase):
    def test_the_admin_import_takes_a_workbook_of_ten_thousand_rows(self):
        from django.conf import settings

        self.assertGreaterEqual(settings.PARKDASH_IMPORT_MAX_ROWS, 10_000)

    def test_a_file_of_100000_rows_is_refused_with_how_to_split_it_or_import_it_on_the_server(self):
        from tests.support import bombs

        text = bombs.figures_csv(100_000, short=True).decode()
        with self.assertRaises(uploads.UploadRejected) as refused:
            uploads.count_csv_rows(text)
        message = str(refused.exception)
        self.assertIn("The file has 100,000 rows of data.", message)
        self.assertIn("split the file into parts of up to 10,000 rows", message)
        self.assertIn("python manage.py import_figures FILE", message)
