"""Where an uploaded import file waits between the preview and the confirm step.

django-import-export's default (TempFolderStorage) writes it to the system's temporary folder under a
NamedTemporaryFile name, puts that full path in the confirm form's hidden ``import_file_name`` field, and removes
it only when the import is confirmed: every abandoned preview, and every preview that showed errors, left a file
behind. Its alternatives do not fit either: CacheStorage keeps the file in the cache, which is per process with
Django's default cache (a confirm handled by another gunicorn worker would not find it) and holds up to 5 MB of
memory per abandoned preview; MediaStorage never cleans up.

This storage keeps the file in a private folder (``settings.PARKDASH_IMPORT_PENDING_DIR``, mode 0700, files 0600)
under a random name of 32 hex digits, which is all the form shows. The confirm step *claims* the file by renaming
it, which only one request can do: a confirm posted twice (or from two tabs) imports once, and the second is told
so. A preview that shows errors removes its file at once (``ImportExportAdmin.import_action``); files older than
``MAX_AGE`` are removed whenever a new file is saved, so an abandoned preview leaves nothing behind for long.

Once the preview has read the file, the file is replaced by the rows it read (:meth:`PendingImportStorage.keep_rows`,
as JSON with their cell types): the confirm step imports exactly the rows the preview showed, without reading a
workbook a second time (for 10,000 rows that is seconds of the confirm's time).
"""

import datetime
import json
import os
import re
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from import_export.tmp_storages import BaseStorage

# How long a preview waits for its confirm: a working day's interruption, not days.
MAX_AGE = 6 * 3600
NAME = re.compile(r"^[0-9a-f]{32}$")
ROWS_MAGIC = b"PARKDASH-ROWS 1\n"
# Cell types a reader hands out besides JSON's own, written as {"$t": type, "v": ISO text}.
CELL_TYPES = {"datetime": datetime.datetime, "date": datetime.date, "time": datetime.time}


def _encode_cell(value):
    for tag, kind in CELL_TYPES.items():
        if type(value) is kind:
            return {"$t": tag, "v": value.isoformat()}
    raise TypeError(f"cannot keep a {type(value).__name__} cell")


def _decode_cell(value):
    if "$t" in value:
        return CELL_TYPES[value["$t"]].fromisoformat(value["v"])
    return value


class PendingUploadGone(Exception):
    """The named upload is not pending: already confirmed, expired, or never there."""


class PendingImportStorage(BaseStorage):
    """An import file between preview and confirm: a random name, claimed once, removed when stale."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._claimed = None

    @staticmethod
    def folder():
        folder = Path(settings.PARKDASH_IMPORT_PENDING_DIR)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
        # In a shared /tmp another user could have made the folder first, to read or swap the files.
        if folder.is_symlink() or info.st_uid != os.geteuid():
            raise ImproperlyConfigured(
                f"{folder} (PARKDASH_IMPORT_PENDING_DIR) belongs to another user or is a link: remove it, or point "
                "PARKDASH_IMPORT_PENDING_DIR at a folder of the server's own user."
            )
        if info.st_mode & 0o077:
            folder.chmod(0o700)
        return folder

    def _path(self):
        if not self.name or not NAME.match(self.name):
            raise PendingUploadGone(self.name)
        return self.folder() / self.name

    def save(self, data):
        remove_stale()
        self.name = uuid.uuid4().hex
        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        path = self.folder() / self.name
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)

    def keep_rows(self, dataset, format_index):
        """Replace the pending file by the rows read from it (headers, rows, and the import format they were read
        in). A cell of a type JSON cannot hold exactly leaves the file as it is, to be read again."""
        try:
            payload = json.dumps(
                {"format": format_index, "headers": dataset.headers, "rows": [list(row) for row in dataset]},
                default=_encode_cell,
                ensure_ascii=False,
                allow_nan=False,
            )
        except (TypeError, ValueError):
            return False
        path = self._path()
        temporary = path.with_name(f"{path.name}.rows-{uuid.uuid4().hex}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(ROWS_MAGIC + payload.encode("utf-8"))
        os.replace(temporary, path)
        return True

    def kept_rows(self):
        """(format index, headers, rows) kept by :meth:`keep_rows`, or None if the file holds the upload itself."""
        path = self._claimed or self._path()
        try:
            with path.open("rb") as handle:
                if handle.read(len(ROWS_MAGIC)) != ROWS_MAGIC:
                    return None
                kept = json.loads(handle.read().decode("utf-8"), object_hook=_decode_cell)
        except FileNotFoundError:
            raise PendingUploadGone(self.name) from None
        return kept["format"], kept["headers"], kept["rows"]

    def claim(self):
        """Take the file for the confirm step; raises PendingUploadGone if another request took it, or it is gone.

        The rename is atomic: of two confirms of one preview, exactly one gets the file.
        """
        path = self._path()
        claimed = path.with_name(f"{path.name}.claimed-{uuid.uuid4().hex}")
        try:
            os.rename(path, claimed)
        except FileNotFoundError:
            raise PendingUploadGone(self.name) from None
        self._claimed = claimed

    def read(self):
        path = self._claimed or self._path()
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise PendingUploadGone(self.name) from None
        if "b" in self.read_mode:
            return data
        # Decoded without newline translation, so that a CR inside a quoted CSV cell stays a CR.
        return data.decode(self.encoding or "utf-8")

    def remove(self):
        paths = [self._claimed] if self._claimed else []
        if self.name and NAME.match(self.name):
            paths.append(self.folder() / self.name)
        for path in paths:
            path.unlink(missing_ok=True)


def remove_stale(max_age=MAX_AGE):
    """Remove pending (and claimed) uploads older than ``max_age`` seconds; returns how many were removed."""
    folder = PendingImportStorage.folder()
    limit = time.time() - max_age
    removed = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass  # removed meanwhile by another request
    return removed
