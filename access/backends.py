from django.contrib.auth.backends import ModelBackend

from .scope import load_user


class ScopedModelBackend(ModelBackend):
    """Django's ModelBackend, whose request user comes with their scope from the cache
    (access.scope.load_user): logging in is unchanged."""

    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
