from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import Cap
from .selectors.notifications import unread_count

# (url name, label, capability needed or None for everyone signed in). Later issues append here.
NAVIGATION = [
    ("home", _("Home"), None),
    ("campaign_list", _("Campaigns and reports"), None),
    ("nomination_inbox", _("Nominations to handle"), Cap.VIEW_NOMINATIONS),
    # Also in the menu, not only behind the bell: on a phone the bell is a small target beside the menu button.
    ("notification_list", _("Notifications"), None),
    ("lateness", _("Processing times"), Cap.VIEW_LATENESS),
    ("operations_health", _("System health"), Cap.VIEW_OPERATIONS),
    ("admin_io", _("Import and export units and accounts"), Cap.MANAGE_UNITS),
    ("unit_list", _("Units"), None),
    ("activity", _("Activity log"), None),
]


def shell(request) -> dict:
    """The layout's data: who is working, under which membership, and what they can reach."""
    actor = getattr(request, "actor", None)
    if actor is None or not request.user.is_authenticated:
        return {}
    nav = [
        {
            "url": reverse(name),
            "label": label,
            "active": request.resolver_match and request.resolver_match.url_name == name,
        }
        for name, label, cap in NAVIGATION
        if cap is None or actor.can(cap)
    ]
    if request.user.is_staff and actor.can(Cap.MANAGE_UNITS):
        nav.append({"url": reverse("admin:index"), "label": _("Administration"), "active": False})
    return {
        "actor": actor,
        "unread_notifications": unread_count(request.user),
        "nav_items": nav,
        "switchable_memberships": actor.memberships,
    }
