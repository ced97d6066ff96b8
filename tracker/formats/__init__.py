"""Dates as each language writes them (FORMAT_MODULE_PATH): "June 5, 2007", "5 de junio de
2007", "5 juin 2007", "5 de junho de 2007". Pages, PDFs, feeds and e-mails use these names
(`|date:"DATE_FORMAT"`, `date_format(d, "DATE_FORMAT")`), never a fixed English pattern; what
a module leaves out comes from Django's own formats for the language."""

from django.utils.translation import gettext_noop

# Django's own month names, listed here so that this project's catalogs can correct them:
# Portuguese writes months lower-case since the 1990 spelling agreement ("5 de junho de 2007"),
# which Django's Portuguese catalog does not. Translations in LOCALE_PATHS win over Django's.
MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
