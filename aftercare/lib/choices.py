"""Faster `get_FOO_display()` for models shown in long lists."""

from django.utils.encoding import force_str

_LABELS: dict = {}


class ChoiceLabelsMixin:
    """Look labels up in a dict built once per field.

    Django's own version rebuilds a dict of every choice on each call and, to hash it, turns each
    lazy label into text: 21 translations per row of a queue for three fields. Keys here are the
    plain stored values, so only the one label shown is translated.
    """

    def _get_FIELD_display(self, field):  # noqa: N802 - the name Django looks up
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = {value: label for value, label in field.flatchoices}
        value = getattr(self, field.attname)
        return force_str(labels.get(value, value), strings_only=True)
