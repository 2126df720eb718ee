from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.errors import DomainError
from lib.masking import mask_phone
from reach.forms import CodeForm, PhoneForm
from reach.models import PhoneCode
from reach.session import forget_verified, remember_verified, verified_phone
from reach.throttle import client_ip
from reach.verification import phone_code_check, phone_code_request, residents_with_phone

from .forms import ChooseResidentForm, LoginForm, PreferencesForm
from .navigation import home_url_name
from .services import account_claim, user_set_preferences

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

    def get_form_class(self):
        # An account claimed with a phone code has no password yet: it sets its first.
        if not self.request.user.has_usable_password():
            return SetPasswordForm
        return super().get_form_class()

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """设置密码 from the one-time link an admin sent or handed over: Django's token (expires
    after PASSWORD_RESET_TIMEOUT, spent once the password is set), then the sign-in page."""

    template_name = "registration/password_set.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):
        from .services import account_password_set_with_link

        response = super().form_valid(form)
        account_password_set_with_link(user=form.user)
        messages.success(
            self.request, _("Your password is set. Sign in with your username and it.")
        )
        return response


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


# ---------------------------------------------------------------- the phone and a code


def phone_login(request):
    """居民手机验证登录: a resident types the number the community has for them, gets a
    code by SMS and types it. The same answers whether the number is on record or not
    (reach.verification)."""
    if request.user.is_authenticated:
        return redirect("home")
    step = request.POST.get("step", "")
    address = client_ip(request)
    phone_form = PhoneForm(request.POST if step == "send_code" else None)
    code_form = CodeForm(request.POST if step == "check_code" else None)
    sent = step == "check_code"
    if step == "send_code" and phone_form.is_valid():
        try:
            phone_code_request(
                phone=phone_form.cleaned_data["phone"], purpose=PhoneCode.Purpose.LOGIN, ip=address
            )
        except DomainError as error:
            phone_form.add_error("phone" if error.field == "phone" else None, error.message)
        else:
            sent = True
            code_form = CodeForm(initial={"phone": phone_form.cleaned_data["phone"]})
    if step == "check_code" and code_form.is_valid():
        try:
            phone = phone_code_check(
                phone=code_form.cleaned_data["phone"],
                code=code_form.cleaned_data["code"],
                purpose=PhoneCode.Purpose.LOGIN,
                ip=address,
            )
        except DomainError as error:
            code_form.add_error("code" if error.field == "code" else None, error.message)
        else:
            remember_verified(request, phone)
            return redirect("accounts:phone_who")
    return render(
        request,
        "accounts/phone_login.html",
        {"phone_form": phone_form, "code_form": code_form, "sent": sent},
    )


def phone_who(request):
    """After the code: the resident (or, for a number a household shares, which of its
    residents) signs in, their account created and bound to their record the first time."""
    phone = verified_phone(request)
    if phone is None:
        messages.info(request, _("Prove your mobile number first."))
        return redirect("accounts:phone_login")
    people = list(
        residents_with_phone(phone).select_related(
            "community", "household__unit__building__compound"
        )
    )
    form = ChooseResidentForm(request.POST or None, residents=people)
    if len(people) == 1 and request.method == "POST":
        form = ChooseResidentForm({"resident": people[0].pk}, residents=people)
    if request.method == "POST" and form.is_valid():
        resident = next(p for p in people if p.pk == form.cleaned_data["resident"])
        try:
            user, created = account_claim(resident=resident, phone=phone)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            forget_verified(request)
            login(request, user, backend="access.backends.ScopedModelBackend")
            if created:
                messages.success(
                    request,
                    _(
                        "Welcome, %(name)s. Your account is open: here are your issues, "
                        "invitations and outcomes. Sign in again with your mobile number, or "
                        "set a password under Preferences."
                    )
                    % {"name": user.name},
                )
            else:
                messages.success(request, _("Welcome back, %(name)s.") % {"name": user.name})
            response = redirect("home")
            _large_text_cookie(response, user.large_text)
            return response
    return render(
        request,
        "accounts/phone_who.html",
        {"people": people, "form": form, "phone": mask_phone(phone)},
    )
