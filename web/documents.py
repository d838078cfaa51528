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
from pathlib import Path
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from domain.errors import DomainError
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


def keep_upload(upload: FileStorage, folder: Path) -> tuple[str, str, int, str]:
    """Store an upload by content hash: (name, media type, size, sha256)."""
    head = upload.stream.read(512)
    media_type = _checked_type(upload, head)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(head)
    size = len(head)
    with tempfile.NamedTemporaryFile(dir=folder, delete=False) as kept:
        kept.write(head)
        while chunk := upload.stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            kept.write(chunk)
        kept.flush()
        os.fsync(kept.fileno())
    if size == 0:
        os.unlink(kept.name)
        raise RefusedFile(str(_l("The file is empty.")))
    os.replace(kept.name, folder / digest.hexdigest())
    return Path(upload.filename or "file").name, media_type, size, digest.hexdigest()


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
        filename, media_type, size, sha256 = keep_upload(upload, services().documents)
        services().tracker.attach_document(
            case.case_id, actor=current_user.username, filename=filename,
            media_type=media_type, size=size, sha256=sha256,
            expected_version=opened_version(form, case),
        )  # fmt: skip
    except RefusedFile as refusal:
        form.file.errors = [str(refusal)]
        return refused_step(case, "attach_document", form)
    except DomainError as error:
        return refused_step(case, "attach_document", form, error)
    flash(_l("Saved: %(step)s.", step=filename))
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
