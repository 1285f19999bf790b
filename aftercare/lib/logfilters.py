"""What no log line carries: the secrets that travel in addresses, and the traceback of a
client's mistake. `with_log_filters` puts both filters on every handler of a logging
configuration (settings.LOGGING, and `serve`'s uvicorn configuration).

One-time sign-in links, password and invitation links, answer and unsubscribe links and the
SMS gateway's webhook carry their secret as a path segment. Uvicorn's access log and Django's
warnings about 4xx answers write the path; `RedactSecrets` writes `[secret]` in its place.
Django logs a body it will not parse (a 400) with the exception's traceback;
`ClientErrorsWithoutTraceback` keeps such a record to its one line.
"""

import copy
import logging
import re

# The segment after one of these words, or after `reset/<uid>/` and `invitation/<uid>/`, when
# it is long enough to be a token (so that `/login/sent/` stays as it is).
_SECRET_SEGMENT = re.compile(
    r"(/(?:login|answer|unsubscribe|confirm|sms|invitations)/|/(?:reset|invitation)/[^/\s?#]+/)"
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


class ClientErrorsWithoutTraceback(logging.Filter):
    """Log an answer below 500 without the traceback of the exception that led to it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


FILTERS = {
    "redact_secrets": {"()": "aftercare.lib.logfilters.RedactSecrets"},
    "client_errors_without_traceback": {
        "()": "aftercare.lib.logfilters.ClientErrorsWithoutTraceback"
    },
}


def with_log_filters(config: dict) -> dict:
    """A copy of a `logging.config.dictConfig` configuration with both filters on every
    handler."""
    config = copy.deepcopy(config)
    config.setdefault("filters", {}).update(FILTERS)
    for handler in config.get("handlers", {}).values():
        handler["filters"] = [*handler.get("filters", []), *FILTERS]
    return config
