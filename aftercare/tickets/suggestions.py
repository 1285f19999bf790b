"""The help articles that may answer a request, shown beside it on the request page."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from aftercare.knowledge.models import Article
from aftercare.knowledge.selectors import STAFF, article_hits
from aftercare.tickets.models import Ticket
from aftercare.tickets.productivity.placeholders import reader_language


@dataclass(frozen=True)
class SuggestedArticle:
    """A help article that may answer a request: where staff read it, and the address to send
    the customer when they may read it too ("" for an internal one)."""

    title: str
    language: str
    url: str
    customer_url: str


SUGGESTED_ARTICLES = 5


def ticket_suggested_articles(*, ticket: Ticket) -> list[SuggestedArticle]:
    """The published articles whose words the request's subject and description share most, in
    the customer's language first, about its product or none in particular (two queries)."""
    hits = article_hits(
        ticket.organization,
        query=f"{ticket.subject} {ticket.description}",
        language=reader_language(ticket),
        audience=STAFF,
        product_model_ids=[ticket.product_model_id] if ticket.product_model_id else None,
        typing=True,
        limit=SUGGESTED_ARTICLES,
    )
    slug = ticket.organization.slug
    return [
        SuggestedArticle(
            title=hit.title,
            language=hit.language,
            url=reverse("knowledge:article", args=[hit.article.pk]),
            customer_url=settings.SITE_URL
            + reverse("portal:help_article", args=[slug, hit.article.pk])
            if hit.article.visibility != Article.Visibility.INTERNAL
            else "",
        )
        for hit in hits
    ]
