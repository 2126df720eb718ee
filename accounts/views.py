from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import LoginForm, PreferencesForm
from .navigation import home_url_name
from .services import user_set_preferences

# The text size a visitor chose before signing in, kept in their session.
CHOSEN_LARGE_TEXT = "large_text_chosen"


def _large_text_cookie(response, large: bool):
    response.set_cookie(
        "large_text",
        "1" if large else "0",
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        """An elderly resident who turns on large text on the login page keeps it after
        signing in: that choice, made just now, wins over the one saved with the account
        and becomes the saved one. Read before login() rotates the session."""
        chosen = self.request.session.get(CHOSEN_LARGE_TEXT)
        response = super().form_valid(form)
        user = form.get_user()
        if chosen is not None:
            user_set_preferences(user=user, large_text=chosen)
            self.request.session.pop(CHOSEN_LARGE_TEXT, None)
        # Signed out again later, the login page keeps the size the person reads.
        _large_text_cookie(response, user.large_text)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


def _safe_next(request, fallback="/"):
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def set_language(request):
    language = request.POST.get("language")
    response = HttpResponseRedirect(_safe_next(request))
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        if request.user.is_authenticated:
            user_set_preferences(user=request.user, language=language)
    return response


@require_POST
def display_mode(request):
    """Large text for everyone, signed in or not: elderly residents read the public board
    without an account."""
    large = request.POST.get("large_text") == "1"
    response = HttpResponseRedirect(_safe_next(request))
    if request.user.is_authenticated:
        user_set_preferences(user=request.user, large_text=large)
    else:
        # Signing in next carries this choice over to the account (LoginView.form_valid).
        request.session[CHOSEN_LARGE_TEXT] = large
    _large_text_cookie(response, large)
    return response


@login_required
def preferences(request):
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            user_set_preferences(
                user=user,
                large_text=form.cleaned_data["large_text"],
                language=form.cleaned_data["language"],
            )
            messages.success(request, _("Your preferences have been saved."))
            response = redirect("accounts:preferences")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                form.cleaned_data["language"],
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
    else:
        form = PreferencesForm(
            initial={
                "large_text": user.large_text,
                "language": user.language or request.LANGUAGE_CODE,
            }
        )
    return render(request, "accounts/preferences.html", {"form": form})


# Each role starts the day on its own page.
def home(request):
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:login"))
    target = home_url_name(request.user)
    if target != "home":
        return redirect(target)
    return render(request, "accounts/home.html")
