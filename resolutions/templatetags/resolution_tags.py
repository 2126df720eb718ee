from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from access.resolutions import can_list_resolutions

register = template.Library()


@register.simple_tag(takes_context=True)
def resolutions_crumb(context):
    """(label, url) of the first breadcrumb of a resolution's pages: the list of
    resolutions for those who may open it, the viewer's own action items for residents
    and organizations, who may not."""
    if can_list_resolutions(context["request"].user):
        return _("Resolutions"), reverse("resolutions:list")
    return _("My action items"), reverse("resolutions:my_items")
