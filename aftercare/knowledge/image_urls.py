"""An article's images, at the address bodies name them by (`richtext.IMAGE_URL_PREFIX`)."""

from django.urls import path

from aftercare.knowledge import public_views

app_name = "knowledge_images"
urlpatterns = [
    path("<int:image_id>/", public_views.image_view, name="image"),
]
