from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Chinese unless the user chose otherwise.

    Django's LocaleMiddleware would follow the browser's Accept-Language; our users share
    office computers and phones set up in English, and the product speaks Chinese first.
    The choice comes from the language cookie (set by the switcher), then the user's saved
    preference, then settings.LANGUAGE_CODE.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            user = getattr(request, "user", None)
            language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
