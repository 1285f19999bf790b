from django.urls import path

from aftercare.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.article_list_view, name="articles"),
    path("articles/new/", views.article_create_view, name="article_create"),
    path("articles/<int:article_id>/", views.article_detail_view, name="article"),
    path("articles/<int:article_id>/edit/", views.article_edit_view, name="article_edit"),
    path("articles/<int:article_id>/images/", views.image_upload_view, name="image_upload"),
    path(
        "articles/<int:article_id>/<str:language>/",
        views.translation_edit_view,
        name="translation_edit",
    ),
    path(
        "articles/<int:article_id>/<str:language>/publish/",
        views.translation_publish_view,
        name="translation_publish",
    ),
    path(
        "articles/<int:article_id>/<str:language>/unpublish/",
        views.translation_unpublish_view,
        name="translation_unpublish",
    ),
    path(
        "articles/<int:article_id>/<str:language>/history/",
        views.translation_history_view,
        name="translation_history",
    ),
    path(
        "articles/<int:article_id>/<str:language>/history/<int:version_id>/restore/",
        views.version_restore_view,
        name="version_restore",
    ),
    path("categories/", views.category_list_view, name="categories"),
    path("categories/new/", views.category_create_view, name="category_create"),
    path(
        "categories/<int:article_category_id>/edit/",
        views.category_edit_view,
        name="category_edit",
    ),
]
