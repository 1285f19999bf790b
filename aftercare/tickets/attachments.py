"""Checks on files attached to requests: the types a request accepts and their size limit. The
checks themselves (size, type, content matching the extension) are `lib.uploads`'."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from aftercare.lib.uploads import INLINE_TYPES, file_response, safe_filename, upload_check

__all__ = [
    "ALLOWED_EXTENSIONS",
    "INLINE_TYPES",
    "attachment_check",
    "attachment_response",
    "safe_filename",
]

ALLOWED_EXTENSIONS = {
    "jpg", "jpeg", "png", "gif", "webp", "heic", "pdf", "txt", "log", "csv",
    "doc", "docx", "xls", "xlsx", "odt", "ods", "zip", "mp4", "mov", "mp3", "m4a", "wav", "eml",
}  # fmt: skip


def attachment_check(upload: UploadedFile, *, field: str = "attachments") -> dict:
    """The stored metadata of a valid upload; a refused upload raises a field error."""
    return upload_check(
        upload, field=field, extensions=ALLOWED_EXTENSIONS, max_bytes=settings.ATTACHMENT_MAX_BYTES
    )


def attachment_response(attachment, *, allow_inline: bool = True):
    """Stream a stored attachment safely: only images and PDFs inline, never sniffed or cached."""
    return file_response(
        attachment.file,
        filename=attachment.filename,
        content_type=attachment.content_type,
        allow_inline=allow_inline,
    )
