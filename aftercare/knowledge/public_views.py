"""The one public page of the knowledge base: an article's image, served to whoever may read
the article (anyone for a published public article; a signed-in customer of the organization
for a customers' one; its staff always)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from aftercare.accounts.selectors import membership_get, session_signed_in_by_portal_link
from aftercare.customers.selectors import customer_for_portal_user
from aftercare.knowledge.selectors import (
    CUSTOMER,
    PUBLIC,
    STAFF,
    article_image_get,
    reader_may_read,
)
from aftercare.lib.uploads import file_response


@require_GET
def image_view(request: HttpRequest, image_id: int) -> HttpResponse:
    """An article's image, or 404 to anyone who may not read the article."""
    image = article_image_get(image_id=image_id)
    if image is None:
        raise Http404
    article = image.article
    audience = PUBLIC
    user = request.user
    if user.is_authenticated:
        membership = membership_get(user=user, organization=article.organization)
        if membership is not None and not session_signed_in_by_portal_link(request.session):
            audience = STAFF
        elif customer_for_portal_user(organization=article.organization, user=user) is not None:
            audience = CUSTOMER
    if not reader_may_read(article=article, audience=audience):
        raise Http404
    return file_response(image.file, filename=image.filename, content_type=image.content_type)
