# viewflow Process subclasses live here (added with the report and nomination flows).
