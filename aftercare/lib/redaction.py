"""Secrets that travel in addresses kept out of the logs.

One-time sign-in links, password and invitation links, answer and unsubscribe links and the
SMS gateway's webhook carry their secret as a path segment. Uvicorn's access log and Django's
warnings about 4xx answers write the path; this filter writes `[secret]` in its place, on every
handler of both (settings.LOGGING and `serve`'s uvicorn configuration).
"""

import copy
import logging
import re

# The segment after one of these words, or after `reset/<uid>/` and `invitation/<uid>/`, when
# it is long enough to be a token (so that `/login/sent/` stays as it is).
_SECRET_SEGMENT = re.compile(
    r"(/(?:login|answer|unsubscribe|confirm|sms)/|/(?:reset|invitation)/[^/\s?#]+/)"
    r"[A-Za-z0-9_:.\-]{16,}"
)
MASK = "[secret]"


def redact(text: str) -> str:
    """`text` with every secret path segment masked."""
    return _SECRET_SEGMENT.sub(r"\1" + MASK, text)


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


class RedactSecrets(logging.Filter):
    """Mask secret path segments in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(value) for value in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        return True


FILTER = {
    "redact_secrets": {"()": "aftercare.lib.redaction.RedactSecrets"},
    "client_errors_without_traceback": {
        "()": "aftercare.lib.badrequest.ClientErrorsWithoutTraceback"
    },
}


def with_redaction(config: dict) -> dict:
    """A copy of a `logging.config.dictConfig` configuration whose every handler redacts (and
    logs a client's mistake without a traceback)."""
    config = copy.deepcopy(config)
    config.setdefault("filters", {}).update(FILTER)
    for handler in config.get("handlers", {}).values():
        handler["filters"] = [*handler.get("filters", []), *FILTER]
    return config
