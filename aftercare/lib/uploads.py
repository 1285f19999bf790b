"""Checks on uploaded files and how stored files are sent back, for every app that keeps files
(a request's attachments, a unit's proof of purchase): size, type by extension, content that
matches the extension, a safe name; streamed back so that a browser never runs what it opens."""

import hashlib
import mimetypes
import re
import unicodedata
from collections.abc import Collection

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from aftercare.lib.errors import ApplicationError

# Extensions whose content must start with a known signature, so a renamed file is refused.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"),
    "pdf": (b"%PDF-",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
}
INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}
_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def private_storage():
    """The storage for files only served after a permission check (never under a public URL)."""
    from django.core.files.storage import storages

    return storages["private"]


def safe_filename(name: str) -> str:
    """A file name without directories or control characters, at most 150 characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("_", name).strip(" .") or "file"
    stem, dot, ext = name.rpartition(".")
    if dot and len(name) > 150:
        name = f"{stem[: 149 - len(ext)]}.{ext}"
    return name[:150]


def upload_check(
    upload: UploadedFile, *, field: str, extensions: Collection[str], max_bytes: int
) -> dict:
    """The metadata of a valid upload (filename, content_type, size, sha256); an upload of
    another type, empty, too large or not what its extension says raises a field error."""
    filename = safe_filename(upload.name or "")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in extensions:
        raise ApplicationError(
            _("%(name)s: this type of file is not accepted.") % {"name": filename}, field=field
        )
    size = upload.size or 0
    if size == 0:
        raise ApplicationError(_("%(name)s is empty.") % {"name": filename}, field=field)
    if size > max_bytes:
        raise ApplicationError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": filename, "limit": max_bytes // (1024 * 1024)},
            field=field,
        )
    digest = hashlib.sha256()
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 16:
            head += chunk[:16]
        digest.update(chunk)
    upload.seek(0)
    signatures = SIGNATURES.get(extension)
    mismatch = signatures is not None and not head.startswith(signatures)
    if extension == "webp" and not (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        mismatch = True
    if mismatch:
        raise ApplicationError(
            _("%(name)s does not contain what its extension says.") % {"name": filename},
            field=field,
        )
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return {
        "filename": filename,
        "content_type": content_type,
        "size": size,
        "sha256": digest.hexdigest(),
    }


def file_response(
    stored, *, filename: str, content_type: str, allow_inline: bool = True
) -> FileResponse:
    """Stream a stored file (a FieldFile) safely: only images and PDFs inline, never sniffed or
    cached; a file missing from storage is a 404."""
    try:
        handle = stored.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    inline = allow_inline and content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename,
        content_type=content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A file opened in the browser runs no script and reaches nothing of the site.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response
