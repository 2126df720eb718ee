class DomainError(Exception):
    """A rule of the domain said no. The message is translated and shown to the user as is."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return str(self.message)


class StaleEdit(DomainError):
    """Someone else saved the record since this user loaded it (optimistic locking)."""
