from django import template

from ..search import highlight_snippet

register = template.Library()

# {{ mandate.search_headline|highlight_snippet }}: escaped text, matches in <mark>.
register.filter("highlight_snippet", highlight_snippet)
