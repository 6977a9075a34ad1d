"""Strings that third-party packages show our users but do not translate into Vietnamese.

gettext_noop puts them in our catalogue (config/locale/vi); Django then finds the translation there,
since our LOCALE_PATHS come before the packages' own catalogues. django-axes: its lockout admin.
viewflow's visible strings join this list when its screens are used.
"""

from django.utils.translation import gettext_noop

AXES = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
    gettext_noop("Expires At"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Axes"),
]

# Django's own Vietnamese for the number limits reads "Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 999 ."
DJANGO = [
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
]
