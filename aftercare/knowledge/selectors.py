"""Reads of the knowledge base, scoped to one organization: the console's lists and pages, the
help centre's (what a reader may see, in their language), and what the search index needs."""

import hashlib
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.customers.models import Customer
from aftercare.knowledge.models import (
    Article,
    ArticleCategory,
    ArticleImage,
    ArticleTranslation,
    ArticleVersion,
    ArticleVote,
)
from aftercare.knowledge.richtext import plain_text
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import is_language, language_codes
from aftercare.lib.pagination import Page, keyset_paginate
from aftercare.lib.queries import unique_or_none
from aftercare.search.selectors import (
    query_parse,
    search_page,
    search_suggestions,
    suggestion_words,
)
from aftercare.search.snippets import words_found

CATEGORY_STATUSES = ("active", "archived", "all")
STATES = ("draft", "published")

# Who reads: anyone, a signed-in customer of the organization, or its staff.
PUBLIC, CUSTOMER, STAFF = "public", "customer", "staff"
AUDIENCES = (PUBLIC, CUSTOMER, STAFF)
_VISIBLE = {
    PUBLIC: (Article.Visibility.PUBLIC,),
    CUSTOMER: (Article.Visibility.PUBLIC, Article.Visibility.CUSTOMERS),
    STAFF: tuple(Article.Visibility.values),
}
# An article's visibility as the index's audience: the least audience that may read it.
# The kind of the search index's documents of article translations (knowledge.indexing).
ARTICLE_KIND = "article"

AUDIENCE_OF_VISIBILITY = {
    Article.Visibility.PUBLIC: PUBLIC,
    Article.Visibility.CUSTOMERS: CUSTOMER,
    Article.Visibility.INTERNAL: STAFF,
}


def visible_to(audience: str) -> tuple[str, ...]:
    """The visibilities an audience may read."""
    if audience not in _VISIBLE:
        raise ApplicationError(_("Unknown audience."), field="audience")
    return _VISIBLE[audience]


# --- Categories ---


def article_category_list(
    *, organization: Organization, active_only: bool = True
) -> list[ArticleCategory]:
    """The organization's categories in their order (for choices and the help centre: an
    organization has a handful)."""
    queryset = ArticleCategory.objects.filter(organization=organization)
    if active_only:
        queryset = queryset.filter(is_active=True)
    return list(queryset.order_by("position", "id"))


def article_category_page(
    *,
    organization: Organization,
    status: str = "active",
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of categories in their order."""
    if status not in CATEGORY_STATUSES:
        raise ApplicationError(_("Unknown status."), field="status")
    queryset = ArticleCategory.objects.filter(organization=organization)
    if status != "all":
        queryset = queryset.filter(is_active=status == "active")
    return keyset_paginate(queryset, ordering=["position", "id"], cursor=cursor, limit=limit)


def article_category_get(*, organization: Organization, category_id: int) -> ArticleCategory:
    """A category of this organization, or 404."""
    category = unique_or_none(
        ArticleCategory.objects.filter(organization=organization, pk=category_id)
    )
    if category is None:
        raise Http404
    return category


def article_category_for_input(
    *, organization: Organization, category_id: int, field: str = "category_id"
) -> ArticleCategory:
    """A category named in input; one of another organization is a field error."""
    category = unique_or_none(
        ArticleCategory.objects.filter(organization=organization, pk=category_id)
    )
    if category is None:
        raise ApplicationError(_("No such category."), field=field)
    return category


# --- Articles, for staff ---


def _translations() -> Prefetch:
    return Prefetch(
        "translations",
        queryset=ArticleTranslation.objects.order_by("language").select_related("updated_by"),
    )


def article_page(
    *,
    organization: Organization,
    category_id: int | None = None,
    language: str = "",
    state: str = "",
    visibility: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of articles, last changed first, with their category, translations and
    product models (four queries however many). `language` keeps articles that have a
    translation in it; `state` those that have a published (or a draft: unpublished or
    changed) translation, in `language` if given."""
    if language and not is_language(language):
        raise ApplicationError(_("Unknown language."), field="language")
    if state and state not in STATES:
        raise ApplicationError(_("Unknown state."), field="state")
    if visibility and visibility not in Article.Visibility.values:
        raise ApplicationError(_("Unknown visibility."), field="visibility")
    queryset = Article.objects.filter(organization=organization).select_related("category")
    if category_id is not None:
        queryset = queryset.filter(category_id=category_id)
    if visibility:
        queryset = queryset.filter(visibility=visibility)
    if language or state:
        translations = ArticleTranslation.objects.filter(organization=organization)
        if language:
            translations = translations.filter(language=language)
        if state == "published":
            translations = translations.filter(state=ArticleTranslation.State.PUBLISHED)
        elif state == "draft":
            translations = translations.filter(
                Q(state=ArticleTranslation.State.DRAFT) | Q(has_changes=True)
            )
        queryset = queryset.filter(pk__in=translations.values("article_id"))
    queryset = queryset.prefetch_related(_translations(), "product_models")
    return keyset_paginate(queryset, ordering=["-updated_at", "-id"], cursor=cursor, limit=limit)


def article_get(*, organization: Organization, article_id: int) -> Article:
    """An article of this organization with its category, translations and product models,
    or 404."""
    article = unique_or_none(
        Article.objects.filter(organization=organization, pk=article_id)
        .select_related("category")
        .prefetch_related(_translations(), "product_models")
    )
    if article is None:
        raise Http404
    return article


def article_translation_get(*, article: Article, language: str) -> ArticleTranslation:
    """The article's translation in `language`, or 404."""
    if not is_language(language):
        raise Http404
    translation = unique_or_none(
        ArticleTranslation.objects.filter(article=article, language=language).select_related(
            "updated_by"
        )
    )
    if translation is None:
        raise Http404
    translation.article = article
    return translation


def article_translation_find(*, article: Article, language: str) -> ArticleTranslation | None:
    """The article's translation in `language`, if it has one."""
    if not is_language(language):
        return None
    return unique_or_none(ArticleTranslation.objects.filter(article=article, language=language))


def article_version_page(
    *, translation: ArticleTranslation, cursor: str | None = None, limit: int = 50
) -> Page:
    """One page of a translation's history, newest first, with their authors."""
    queryset = ArticleVersion.objects.filter(translation=translation).select_related("author")
    return keyset_paginate(queryset, ordering=["-number"], cursor=cursor, limit=limit)


def article_version_get(*, translation: ArticleTranslation, version_id: int) -> ArticleVersion:
    """One version of this translation, or 404."""
    version = unique_or_none(
        ArticleVersion.objects.filter(translation=translation, pk=version_id).select_related(
            "author"
        )
    )
    if version is None:
        raise Http404
    version.translation = translation
    return version


def article_image_list(*, article: Article) -> list[ArticleImage]:
    """An article's images, newest first."""
    return list(ArticleImage.objects.filter(article=article).order_by("-id"))


def article_image_get(*, image_id: int) -> ArticleImage | None:
    """An image with its article (whose reader is checked by the caller), if it exists."""
    return unique_or_none(
        ArticleImage.objects.filter(pk=image_id).select_related("article__organization")
    )


# --- The help centre ---


@dataclass(frozen=True)
class ReaderArticle:
    """An article as a reader sees it: the published translation chosen for their language,
    and whether it is in another language than the one they read in."""

    article: Article
    translation: ArticleTranslation
    is_fallback: bool

    @property
    def title(self) -> str:
        return self.translation.published_title

    @property
    def language(self) -> str:
        return self.translation.language


def _published() -> Prefetch:
    return Prefetch(
        "translations",
        queryset=ArticleTranslation.objects.filter(state=ArticleTranslation.State.PUBLISHED),
        to_attr="published_translations",
    )


def reader_translation(
    translations: list[ArticleTranslation], *, language: str, default_language: str
) -> tuple[ArticleTranslation | None, bool]:
    """The translation a reader of `language` gets: theirs, else the organization's default
    language's, else any, in the order of settings.LANGUAGES; and whether it is a fallback."""
    by_language = {translation.language: translation for translation in translations}
    if language in by_language:
        return by_language[language], False
    for code in (default_language, *language_codes()):
        if code in by_language:
            return by_language[code], True
    return None, False


def _readable(organization: Organization, audience: str) -> QuerySet:
    return Article.objects.filter(
        organization=organization, is_published=True, visibility__in=visible_to(audience)
    )


def _for_reader(articles, *, organization: Organization, language: str) -> list[ReaderArticle]:
    found = []
    for article in articles:
        translation, fallback = reader_translation(
            article.published_translations,
            language=language,
            default_language=organization.default_language,
        )
        if translation is not None:
            found.append(ReaderArticle(article, translation, fallback))
    return found


def help_article_page(
    *,
    organization: Organization,
    audience: str,
    language: str,
    category_id: int | None = None,
    product_model_ids: list[int] | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> tuple[list[ReaderArticle], Page]:
    """One page of the articles this audience may read, newest first, each in the reader's
    language or a fallback (two queries); in a category, or about some product models."""
    queryset = _readable(organization, audience)
    if category_id is not None:
        queryset = queryset.filter(category_id=category_id, category__is_active=True)
    if product_model_ids is not None:
        queryset = queryset.filter(
            pk__in=Article.product_models.through.objects.filter(
                productmodel_id__in=product_model_ids
            ).values("article_id")
        )
    page = keyset_paginate(
        queryset.prefetch_related(_published()), ordering=["-id"], cursor=cursor, limit=limit
    )
    return _for_reader(page.items, organization=organization, language=language), page


def help_article_popular(
    *, organization: Organization, audience: str, language: str, limit: int = 10
) -> list[ReaderArticle]:
    """The most read articles this audience may read (two queries)."""
    articles = (
        _readable(organization, audience)
        .order_by("-view_count", "-id")
        .prefetch_related(_published())[:limit]
    )
    return _for_reader(articles, organization=organization, language=language)


def help_article_get(
    *, organization: Organization, audience: str, language: str, article_id: int
) -> ReaderArticle:
    """A published article this audience may read, in the reader's language or a fallback;
    anything else (a draft, an internal article, another organization's) is 404."""
    article = unique_or_none(
        _readable(organization, audience)
        .filter(pk=article_id)
        .select_related("category")
        .prefetch_related(_published())
    )
    found = _for_reader([article] if article else [], organization=organization, language=language)
    if not found:
        raise Http404
    return found[0]


def session_hash(session_key: str) -> str:
    """How an anonymous reader's session is kept with their vote (never the key itself)."""
    return hashlib.sha256(session_key.encode()).hexdigest()


def article_vote_find(
    *, article: Article, customer: Customer | None, session_key: str = ""
) -> ArticleVote | None:
    """The reader's vote on an article, if they voted: the customer's, or the anonymous
    browser session's."""
    if customer is not None:
        return unique_or_none(ArticleVote.objects.filter(article=article, customer=customer))
    if not session_key:
        return None
    return unique_or_none(
        ArticleVote.objects.filter(
            article=article, customer__isnull=True, session_hash=session_hash(session_key)
        )
    )


def reader_may_read(*, article: Article, audience: str) -> bool:
    """Whether a reader of `audience` may read `article` (staff read drafts too)."""
    if audience == STAFF:
        return True
    return article.is_published and article.visibility in visible_to(audience)


def article_hits(
    organization: Organization,
    *,
    query: str,
    language: str,
    audience: str,
    product_model_ids: list[int] | None = None,
    typing: bool = False,
    limit: int = 10,
) -> list[ReaderArticle]:
    """Published articles this audience may read that the search index finds for `query`, one
    per article, in the reader's language when it has one: the help centre's search box and
    the suggestions shown while a customer types a request both come here, and only here.

    A search (`typing` False) wants every word, ranked as every search is (`search.selectors`:
    the title first); what a customer is typing (`typing`) wants any of its words but the
    common ones, and ranks the articles holding more of them first. Then the reader's language,
    then the most read. With `product_model_ids`, only articles about those models or about no
    model in particular."""
    if limit <= 0 or not query.strip():
        return []
    audiences = sorted({AUDIENCE_OF_VISIBILITY[v] for v in visible_to(audience)})
    published = [ArticleTranslation.State.PUBLISHED]
    if typing:
        hits = search_suggestions(
            organization_id=organization.pk,
            text=query,
            kinds=[ARTICLE_KIND],
            audiences=audiences,
            states=published,
        )
        words = suggestion_words(query)
    else:
        found = search_page(
            organization_id=organization.pk,
            query=query_parse(query, region=organization.country),
            kinds=[ARTICLE_KIND],
            audiences=audiences,
            states=published,
            limit=limit * 4,
        )
        hits, words = found.items, ()
    order = {hit.object_id: (index, hit.tier) for index, hit in enumerate(hits)}
    translations = ArticleTranslation.objects.filter(
        organization=organization,
        pk__in=list(order),
        state=ArticleTranslation.State.PUBLISHED,
        article__visibility__in=visible_to(audience),
    ).select_related("article")
    if product_model_ids is not None:
        about = Article.product_models.through.objects.filter(
            productmodel_id__in=product_model_ids
        ).values("article_id")
        translations = translations.filter(
            Q(article_id__in=about) | Q(article__product_models__isnull=True)
        ).distinct()

    def rank(translation: ArticleTranslation) -> tuple:
        index, tier = order[translation.pk]
        if typing:
            texts = [translation.published_title, plain_text(translation.published_body)]
            first = -len(words_found(texts, words))
        else:
            first = tier
        return (first, translation.language != language, -translation.article.view_count, index)

    result, seen = [], set()
    for translation in sorted(translations, key=rank):
        if translation.article_id in seen:
            continue
        seen.add(translation.article_id)
        result.append(
            ReaderArticle(translation.article, translation, translation.language != language)
        )
        if len(result) == limit:
            break
    return result


def article_document(translation: ArticleTranslation) -> dict:
    """What the search index keeps of a translation: its published text while published (what
    readers find), else its working copy; the body as plain text; the least audience that may
    read it ("public", "customer" or "staff") and its state ("draft" or "published")."""
    article = translation.article
    published = translation.is_published
    return {
        "article_id": article.pk,
        "translation_id": translation.pk,
        "organization_id": translation.organization_id,
        "language": translation.language,
        "title": translation.published_title if published else translation.title,
        "text": plain_text(translation.published_body if published else translation.body),
        "audience": AUDIENCE_OF_VISIBILITY[article.visibility],
        "state": translation.state,
    }
