"""The shape of a demo request scenario."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scenario:
    """One kind of real after-sales request, written in every demo language.

    Placeholders: {model} {serial} {purchase_date} {seller} {days}.
    """

    key: str
    kind: str
    category: tuple[str, str | None]
    product_category: str | None
    team: str
    texts: dict[str, tuple[str, str]] = field(repr=False)
    needs_serial: bool = False
    needs_purchase: bool = False
    priority_weights: tuple[int, int, int, int] = (15, 50, 25, 10)  # low, normal, high, urgent
    tags: tuple[str, ...] = ()
