"""Articles in the search index: one document per translation (its language a filter), with
the text readers see while it is published (`selectors.article_document`), the least audience
that may read it, and its state; staff find drafts too, readers only what is published."""

from collections.abc import Iterator, Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aftercare.knowledge.models import ArticleTranslation
from aftercare.knowledge.selectors import ARTICLE_KIND, article_document
from aftercare.search.kinds import Kind, Shown, documents_in_batches
from aftercare.search.services import Document, search_documents_put

KIND = ARTICLE_KIND
_BATCH = 500


def translation_document(translation: ArticleTranslation) -> Document:
    values = article_document(translation)
    return Document(
        organization_id=values["organization_id"],
        kind=KIND,
        object_id=values["translation_id"],
        title=values["title"],
        body=[values["text"]],
        audience=values["audience"],
        state=values["state"],
        language=values["language"],
    )


def article_index(article_id: int) -> None:
    """Put every translation of an article in the index again (in the caller's transaction):
    after its text, its state or who may read it changed."""
    translations = ArticleTranslation.objects.filter(article_id=article_id).select_related(
        "article"
    )
    search_documents_put([translation_document(t) for t in translations])


def _all_documents(organization_id: int | None) -> Iterator[Sequence[Document]]:
    return documents_in_batches(
        ArticleTranslation.objects.select_related("article"),
        lambda translations: [translation_document(t) for t in translations],
        organization_id,
        size=_BATCH,
    )


def _show(organization_id: int, object_ids: Sequence[int], viewer: str) -> dict[int, Shown]:
    translations = ArticleTranslation.objects.filter(
        organization_id=organization_id, pk__in=list(object_ids)
    ).select_related("article", "organization")
    shown = {}
    for translation in translations:
        values = article_document(translation)
        if viewer == "staff":
            url = reverse("knowledge:article", args=[translation.article_id])
        else:
            url = reverse(
                "portal:help_article", args=[translation.organization.slug, translation.article_id]
            )
        shown[translation.pk] = Shown(
            title=values["title"],
            url=url,
            facts=[translation.get_language_display(), translation.get_state_display()],
            texts=[values["text"]],
        )
    return shown


SEARCH_KIND = Kind(
    name=KIND,
    label=_("Articles"),
    show=_show,
    documents=_all_documents,
    page="knowledge:article",
    position=40,
    states=tuple(ArticleTranslation.State.choices),
)
