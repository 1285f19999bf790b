from django.urls import path

from aftercare.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("organization/", views.organization_switch_view, name="organization_switch"),
]
