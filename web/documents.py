"""Documents on a case: upload (size, type and content checked), download.

Files are kept in ``TRACKER_HOME/documents`` under their SHA-256, never
under the name they came with; the name is only shown. A download is sent
as an attachment with its recorded type and ``nosniff``, so a browser never
runs an uploaded file as a page.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from domain.errors import DomainError
from tracker.errors import store_failure
from web import access
from web.case_forms import DocumentForm
from web.case_pages import allowed_steps, visible_case
from web.cases import not_possible_now, opened_version, refused_step
from web.services import services
from web.steps import STEPS

documents = Blueprint("documents", __name__, url_prefix="/cases")

# Extension → (media type, how the file's first bytes must start).
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "txt": ("text/plain", ()),
}
CHUNK = 64 * 1024


class RefusedFile(ValueError):
    """An upload that is empty, of a type we do not keep, or not what it claims."""


def _checked_type(upload: FileStorage, head: bytes) -> str:
    name = upload.filename or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise RefusedFile(
            str(_l("Only PDF, PNG, JPEG, DOCX, XLSX, ODT and TXT files."))
        )
    media_type, signatures = ALLOWED[extension]
    # Signed types must start with their signature; text must not be binary.
    matches = head.startswith(signatures) if signatures else b"\x00" not in head
    if not matches:
        raise RefusedFile(str(_l("The file's content does not match its type.")))
    return media_type


@dataclass(frozen=True)
class KeptFile:
    """An upload kept under its content hash: what the case records of it."""

    filename: str
    media_type: str
    size: int
    sha256: str


@contextmanager
def upload_kept(upload: FileStorage, folder: Path) -> Iterator[KeptFile]:
    """Keep an upload by content hash while the case records it.

    If recording fails, a file this upload brought is removed again: no
    file is left that no case names. (One that was there before, the same
    content attached elsewhere, stays.)
    """
    kept, brought = _kept(upload, folder)
    try:
        yield kept
    except BaseException:
        if brought:
            (folder / kept.sha256).unlink(missing_ok=True)
        raise


def _kept(upload: FileStorage, folder: Path) -> tuple[KeptFile, bool]:
    """The upload, checked and kept; whether its file is new in the folder."""
    head = upload.stream.read(512)
    media_type = _checked_type(upload, head)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written, size, sha256 = _written(upload, head, folder)
        brought = _moved_in(written, folder / sha256)
    except OSError as error:
        raise store_failure(
            error, unavailable="the documents folder cannot be written"
        ) from error
    filename = Path(upload.filename or "file").name
    return KeptFile(filename, media_type, size, sha256), brought


def _moved_in(written: Path, target: Path) -> bool:
    """Put the written file at its hash's name; whether it is new there."""
    if target.exists():  # the same content, kept for another case
        written.unlink()
        return False
    try:
        os.replace(written, target)
    except OSError:
        written.unlink(missing_ok=True)
        raise
    return True


def _written(upload: FileStorage, head: bytes, folder: Path) -> tuple[Path, int, str]:
    """The upload in a temporary file of `folder`, its size and sha256.

    Nothing is left behind when it cannot be written or is empty.
    """
    digest = hashlib.sha256(head)
    size = len(head)
    with tempfile.NamedTemporaryFile(dir=folder, delete=False) as kept:
        try:
            kept.write(head)
            while chunk := upload.stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                kept.write(chunk)
            kept.flush()
            os.fsync(kept.fileno())
            if size == 0:
                raise RefusedFile(str(_l("The file is empty.")))
        except BaseException:
            os.unlink(kept.name)
            raise
    return Path(kept.name), size, digest.hexdigest()


@documents.route("/<reference>/documents", methods=["POST"])
@access.requires(access.NOTE)
def upload(reference: str) -> ResponseReturnValue:
    """Attach an uploaded file to the case."""
    case = visible_case(reference)
    form = DocumentForm()
    if STEPS["attach_document"] not in allowed_steps(case):
        return not_possible_now(case, "attach_document", form)
    upload = form.file.data
    if not form.validate() or not isinstance(upload, FileStorage) or not upload:
        form.file.errors = [str(_l("Choose a file to upload."))]
        return refused_step(case, "attach_document", form)
    try:
        with upload_kept(upload, services().documents) as kept:
            services().tracker.attach_document(
                case.case_id, actor=current_user.username, filename=kept.filename,
                media_type=kept.media_type, size=kept.size, sha256=kept.sha256,
                expected_version=opened_version(form, case),
            )  # fmt: skip
    except RefusedFile as refusal:
        form.file.errors = [str(refusal)]
        return refused_step(case, "attach_document", form)
    except DomainError as error:
        return refused_step(case, "attach_document", form, error)
    flash(_l("Saved: %(step)s.", step=kept.filename))
    return redirect(url_for("cases.case", reference=case.reference))


@documents.route("/<reference>/documents/<document_id>")
@access.requires(access.READ)
def download(reference: str, document_id: str) -> ResponseReturnValue:
    """A case's document, as an attachment."""
    case = visible_case(reference)
    try:
        wanted = UUID(hex=document_id)
    except ValueError:
        abort(404)
    found = next((d for d in case.documents if d.document_id == wanted), None)
    if found is None or not (services().documents / found.sha256).is_file():
        abort(404)
    response = send_file(
        services().documents / found.sha256,
        mimetype=found.media_type,
        as_attachment=True,
        download_name=found.filename,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
