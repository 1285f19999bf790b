from django.urls import path

from aftercare.portal import help, repairs, units, views

app_name = "portal"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/sent/", views.login_sent_view, name="login_sent"),
    path("login/<str:token>/", views.login_link_view, name="login_link"),
    path("logout/", views.logout_view, name="logout"),
    path("requests/", views.request_list_view, name="request_list"),
    path("requests/new/", views.request_create_view, name="request_create"),
    path("requests/<int:number>/", views.request_detail_view, name="request_detail"),
    path("requests/<int:number>/reply/", views.request_reply_view, name="request_reply"),
    path("requests/<int:number>/confirm/", views.request_confirm_view, name="request_confirm"),
    path("units/", units.unit_list_view, name="unit_list"),
    path("units/new/", units.unit_register_view, name="unit_register"),
    path("units/<int:unit_id>/", units.unit_detail_view, name="unit_detail"),
    # Repairs: a quote to approve or decline, the repair's documents, a unit's certificate.
    path(
        "requests/<int:number>/quotes/<int:quote_id>/",
        repairs.quote_detail_view,
        name="repair_quote",
    ),
    path(
        "requests/<int:number>/quotes/<int:quote_id>/approve/",
        repairs.quote_approve_view,
        name="repair_quote_approve",
    ),
    path(
        "requests/<int:number>/quotes/<int:quote_id>/decline/",
        repairs.quote_decline_view,
        name="repair_quote_decline",
    ),
    path(
        "requests/<int:number>/documents/<slug:kind>.pdf",
        repairs.repair_document_view,
        name="repair_document",
    ),
    path(
        "units/<int:unit_id>/certificate.pdf",
        repairs.unit_certificate_view,
        name="unit_certificate",
    ),
    path(
        "attachments/<int:attachment_id>/",
        views.attachment_download_view,
        name="attachment_download",
    ),
    # The help centre: articles in the reader's language, votes, "this solved my problem".
    path("help/", help.help_home_view, name="help_home"),
    path("help/suggest/", help.help_suggest_view, name="help_suggest"),
    path(
        "help/categories/<int:article_category_id>/",
        help.help_category_view,
        name="help_category",
    ),
    path("help/articles/<int:article_id>/", help.help_article_view, name="help_article"),
    path("help/articles/<int:article_id>/vote/", help.help_vote_view, name="help_vote"),
    path("help/articles/<int:article_id>/solved/", help.help_solved_view, name="help_solved"),
    path("track/", views.track_view, name="track"),
    path("answer/<str:token>/", views.resolution_answer_view, name="resolution_answer"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
