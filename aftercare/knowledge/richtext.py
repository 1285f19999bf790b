"""An article's body: HTML sanitised to a small set of tags (nh3), images only from this
app's own image address, and its plain text for the search index."""

import html
import re
from collections.abc import Collection

import nh3

# Where the app serves an article's images: `/help-images/<id>/` (mounted in aftercare/urls.py;
# a test holds the two together).
IMAGE_URL_PREFIX = "/help-images/"
_IMAGE_SRC = re.compile(r"^/help-images/([0-9]{1,18})/$")

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i",
    "a", "img", "code", "pre", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
# Removed with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def image_url(image_id: int) -> str:
    """The address an article's body names an image by."""
    return f"{IMAGE_URL_PREFIX}{image_id}/"


def image_id_of(src: str) -> int | None:
    """The image id an `img src` names, if it is this app's image address."""
    match = _IMAGE_SRC.match(src or "")
    return int(match.group(1)) if match else None


def sanitize(body: str, *, image_ids: Collection[int] = ()) -> str:
    """`body` with only the allowed tags and attributes; links get rel="noopener", images
    keep their `src` only when it is the address of one of `image_ids` (the article's own)."""
    allowed_images = set(image_ids)

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            image_id = image_id_of(value)
            return value if image_id is not None and image_id in allowed_images else None
        return value

    cleaned = nh3.clean(
        body or "",
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=keep,
        link_rel="noopener",
        url_schemes=URL_SCHEMES,
        strip_comments=True,
    )
    # An image whose address was refused is no image.
    return re.sub(r"<img(?![^>]*\ssrc=)[^>]*>", "", cleaned).strip()


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def plain_text(body: str) -> str:
    """The words of a sanitised body, without markup: tags become spaces (so block elements
    do not run words together) and entities their characters."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", body or ""))).strip()


def image_ids_in(body: str) -> set[int]:
    """The ids of this app's images a body shows."""
    return {int(found) for found in re.findall(r'src="/help-images/([0-9]{1,18})/"', body or "")}
