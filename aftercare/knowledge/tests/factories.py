"""Articles for the knowledge tests, written through the services."""

from aftercare.catalog.services import product_model_create
from aftercare.knowledge.models import Article, ArticleTranslation
from aftercare.knowledge.services import (
    article_create,
    article_translation_publish,
    article_translation_save,
)


def make_article(
    organization,
    *,
    texts: dict[str, tuple[str, str]] | None = None,
    publish: bool = True,
    visibility: str = Article.Visibility.PUBLIC,
    category=None,
    product_models=(),
    actor=None,
) -> Article:
    """An article with a translation per entry of `texts` (language: (title, body)), each
    published unless `publish` is false."""
    article = article_create(
        organization=organization,
        actor=actor,
        category=category,
        visibility=visibility,
        product_models=list(product_models),
    )
    for language, (title, body) in (texts or {"en": ("How to", "<p>Do this.</p>")}).items():
        translation = article_translation_save(
            article=article, language=language, title=title, body=body, actor=actor
        )
        if publish:
            article_translation_publish(translation=translation, actor=actor)
    article.refresh_from_db()
    return article


def translation_of(article: Article, language: str = "en") -> ArticleTranslation:
    return ArticleTranslation.objects.get(article=article, language=language)


def make_product_model(*, organization, sku: str = "PM-1", name: str = "Model"):
    """A product model of the catalog (knowledge sits beside warranty: not its factories)."""
    return product_model_create(organization=organization, name=name, sku=sku)
