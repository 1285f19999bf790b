"""The demo's help centre: categories and published articles, linked to its product models."""

from typing import TYPE_CHECKING

from aftercare.demo.content.knowledge import ARTICLE_CATEGORIES, ARTICLES
from aftercare.knowledge.services import (
    article_category_create,
    article_create,
    article_translation_publish,
    article_translation_save,
)

if TYPE_CHECKING:
    from aftercare.demo.history import SeededOrg


def seed_knowledge(*, org: "SeededOrg") -> int:
    """Create the help centre's categories and articles (published in every language they
    are written in); the number of articles."""
    organization = org.organization
    author = org.staff.get("supervisor") or org.staff["admin"]
    categories = {
        name: article_category_create(organization=organization, name=name, names=names)
        for name, names in ARTICLE_CATEGORIES.items()
    }
    for item in ARTICLES:
        article = article_create(
            organization=organization,
            actor=author,
            category=categories[item.category],
            visibility=item.visibility,
            product_models=[
                model for product, model in org.products if product.category == item.category
            ],
        )
        for language, (title, body) in item.texts.items():
            translation = article_translation_save(
                article=article, language=language, title=title, body=body, actor=author
            )
            article_translation_publish(translation=translation, actor=author)
    return len(ARTICLES)
