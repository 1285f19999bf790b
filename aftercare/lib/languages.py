"""The languages aftercare speaks: one list, `settings.LANGUAGES`, read here by everyone."""

from django.conf import settings


def language_codes() -> tuple[str, ...]:
    """The codes of the supported languages, in the order settings lists them."""
    return tuple(code for code, _name in settings.LANGUAGES)


def is_language(code: str) -> bool:
    """Whether `code` is one of the supported languages."""
    return code in language_codes()
