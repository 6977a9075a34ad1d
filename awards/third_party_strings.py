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

# Django REST framework and django-rest-knox: the API's error messages (awards/api/errors.py) that their own
# catalogues leave in English. Their placeholders ({max_length}…) are str.format's and stay as they are.
REST_FRAMEWORK = [
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Malformed request."),
    gettext_noop("JSON parse error - {detail}"),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop("This field may not be null."),
    gettext_noop("Not a valid string."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("A valid integer is required."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("String value too large."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop('Expected a dictionary of items but got type "{input_type}".'),
    gettext_noop("This dictionary may not be empty."),
    gettext_noop("Surrogate characters are not allowed: U+{code_point:X}."),
    gettext_noop("Expected a date but got a datetime."),
    gettext_noop("Invalid token header. No credentials provided."),
    gettext_noop("Invalid token header. Token string should not contain spaces."),
]
