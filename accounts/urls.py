from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("preferences/", views.preferences, name="preferences"),
    path("language/", views.set_language, name="set_language"),
    path("display/", views.display_mode, name="display_mode"),
    # Residents sign in (and claim their account) with their phone and an SMS code.
    path("phone/", views.phone_login, name="phone_login"),
    path("phone/who/", views.phone_who, name="phone_who"),
    # The one-time link to set a password (accounts.services.account_password_link).
    path(
        "password/set/<uidb64>/<token>/",
        views.PasswordSetView.as_view(),
        name="password_reset_confirm",
    ),
]
