"""What `notifications` lets the apps above it add (they connect in their `AppConfig.ready()`)."""

from aftercare.lib.hooks import Hook

# notice_files.collect(notice=...) -> [tuple[messaging.outbound.Attachment, ...]]: the files a
# notice carries (an agent's reply: its public attachments), read when it is first sent. A notice
# names its files by id in its context; the app that owns them reads them, checked again.
notice_files = Hook(
    "notice_files",
    doc="Each receiver returns the outbound Attachments a notice carries (or ()).",
)

# notice_preview_context.collect(organization=..., event=..., number=...) -> [dict | None]: the
# values a notice of `event` about the organization's request `number` would be written with,
# for previewing a template on a real request; None when the receiver has no such request.
notice_preview_context = Hook(
    "notice_preview_context",
    doc="Each receiver returns a notice context for a request of the organization, or None.",
)
