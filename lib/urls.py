from collections.abc import Callable

from django.urls import reverse

_MARKER = 918273645


def reverse_by_pk(viewname: str) -> Callable[[int], str]:
    """`reverse(viewname, args=[pk])` for thousands of pks at the cost of one reverse():
    the sweeps link every reminder to its record."""
    prefix, found, suffix = reverse(viewname, args=[_MARKER]).partition(str(_MARKER))
    assert found, f"{viewname} does not take the pk as a path segment"
    return lambda pk: f"{prefix}{int(pk)}{suffix}"
