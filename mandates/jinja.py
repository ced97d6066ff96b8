"""The Jinja2 environment of the site's layout (templates/jinja2/_layout.html), the resolution
page, the paragraph rows, the mandate tables and the other partials of long pages
(templates/jinja2/mandates/): a resolution page shows dozens of rows, and the Django template
language spent half the page's template time on them; Jinja2 compiles a template to Python.
The resolution page is one Jinja2 render (`response`). The rest of the site stays in DTL,
whose pages get the same layout through base.html's `{% layout %}` tag, and which renders
these templates through the tags `paragraphs`, `mandate_table`, `organs`, `deadlines`,
`trail`, `status_label`, `as_of_form`, `pagination`, `counts`, `count_link`, `status_chart`,
`overdue_glance`, `citations`, `preamble` and `series_list` (mandates/templatetags/tracker.py).

The output is what the DTL partials wrote, byte for byte: values escaped by Django's
`conditional_escape` (MarkupSafe writes quotes as `&#34;`/`&#39;`, Django as
`&quot;`/`&#x27;`), `_()` the active Django language's `gettext` left unescaped like
`{% translate %}` ("Pas d'échéance."), a message with arguments filled like
`{% blocktranslate %}` (the message as written, its arguments escaped).

Translatable strings are `{{ _("…") }}` literals, which `makemessages` (DTL lexer) extracts,
and which a template compiled for a language has written in (`_WrittenIn`); plural messages
are made here in Python (`progress_summary`, `counted_in`…)."""

from __future__ import annotations

import re
import types
import unicodedata
from functools import cache
from html import escape

import jinja2
import jinja2.ext
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.template import defaulttags
from django.templatetags.static import static
from django.test.signals import template_rendered
from django.urls import NoReverseMatch
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext, override
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.runtime import Macro
from jinja2.utils import _PassArg
from markupsafe import Markup

from . import pinned
from .links import cached_reverse
from .search import highlight_snippet
from .templatetags import dates as date_filters

TEMPLATES = settings.BASE_DIR / "templates" / "jinja2"


def fill(message: str, **arguments) -> SafeString:
    """`{% blocktranslate with a=… %}`: the (translated) message is markup, each argument is
    escaped (as `conditional_escape` would, by `_escape`)."""
    return mark_safe(message % {k: _escape(v) for k, v in arguments.items()})


def date(value, arg=None) -> str:
    """The DTL `date` filter (a builtin of every DTL template: "1er juin 2008")."""
    return date_filters.date(template_localtime(value), arg)


def translate(message: str) -> SafeString:
    """`{% translate "…" %}`: a template's literal is safe, and so is its translation."""
    return mark_safe(gettext(message))


class _Translations(dict):
    """One language's `translate`, remembered: a page of rows asks for the same few labels
    hundreds of times, and each `gettext` looks up the active language again."""

    def __init__(self):
        super().__init__()
        self.summaries = {}

    def __missing__(self, message: str) -> SafeString:
        self[message] = translated = translate(message)
        return translated

    def progress_summary(self, n: int) -> SafeString:
        if n not in self.summaries:
            self.summaries[n] = progress_summary(n)
        return self.summaries[n]


@cache
def _translations(language: str | None) -> _Translations:
    return _Translations()


def _forget(setting: str = "", **_kwargs) -> None:
    # Catalogs and languages are settings (LOCALE_PATHS…).
    _translations.cache_clear()
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "USE_I18N", "INSTALLED_APPS"}:
        environment.cache_clear()  # their templates have translations written in


setting_changed.connect(_forget, dispatch_uid="mandates.jinja.forget")


def progress_summary(n: int) -> SafeString:
    """ "Progress: 3 records": a plural, which `makemessages` cannot read from a Jinja2
    template (the msgid of the former `{% blocktranslate count %}`)."""
    return fill(ngettext("Progress: %(n)s record", "Progress: %(n)s records", n), n=n)


# The other plurals of the Jinja2 templates, with the msgids their `{% blocktranslate count %}`
# had (one call each: `makemessages` reads literal `ngettext` calls only).
def more_citations(n: int) -> SafeString:
    return fill(
        ngettext(
            "…and %(n)s more citation, not shown.", "…and %(n)s more citations, not shown.", n
        ),
        n=n,
    )


def more_citing(n: int) -> SafeString:
    return fill(ngettext("…and %(n)s more resolution.", "…and %(n)s more resolutions.", n), n=n)


def overdue_summary(n: int) -> SafeString:
    return fill(
        ngettext(
            "%(n)s operative paragraph is overdue, longest overdue first:",
            "%(n)s operative paragraphs are overdue, longest overdue first:",
            n,
        ),
        n=n,
    )


def overdue_more(n: int) -> SafeString:
    return fill(
        ngettext(
            "and %(n)s more: the whole list, longest overdue first",
            "and %(n)s more: the whole list, longest overdue first",
            n,
        ),
        n=n,
    )


def untracked_summary(n: int) -> SafeString:
    return fill(
        ngettext(
            "Also %(n)s operative paragraph not tracked (no status):",
            "Also %(n)s operative paragraphs not tracked (no status):",
            n,
        ),
        n=n,
    )


def counted_in(n: int) -> SafeString:
    return fill(
        ngettext(
            "Counted in operative paragraphs: %(n)s in all; sub-paragraphs roll up into their "
            "paragraph.",
            "Counted in operative paragraphs: %(n)s in all; sub-paragraphs roll up into their "
            "paragraph.",
            n,
        ),
        n=n,
    )


def missing_sessions(missing: list[int]) -> SafeString:
    """The regular sessions between two members of a series that have no text in the tracker."""
    return fill(
        ngettext(
            "No text in the tracker for the regular session %(first)s.",
            "No text in the tracker for regular sessions %(first)s to %(last)s.",
            len(missing),
        ),
        n=len(missing),
        first=missing[0],
        last=missing[-1],
    )


def in_this_tracker(n: int) -> SafeString:
    """A resolution's series: "3 resolutions in this tracker"."""
    return fill(
        ngettext("%(n)s resolution in this tracker", "%(n)s resolutions in this tracker", n), n=n
    )


def on_several_pages(n: int) -> SafeString:
    """A long resolution's jump list: "240 operative paragraphs, on several pages:"."""
    return fill(
        ngettext(
            "%(n)s operative paragraph, on several pages:",
            "%(n)s operative paragraphs, on several pages:",
            n,
        ),
        n=n,
    )


def querystring(request, **changes) -> str:
    """`{% querystring page=2 %}`: the request's query string with `changes` (None removes)."""
    return defaulttags.querystring(None, request.GET, **changes)


def url_or_empty(viewname: str) -> str:
    """`{% url … as name %}`: the address, or "" where the URLconf has no such view."""
    try:
        return cached_reverse(viewname)
    except NoReverseMatch:
        return ""


def truncatechars(value, length: int) -> str:
    """Django's `truncatechars` (`Truncator.chars`), without its loop over every character
    when none of them combines (each distinct one asked once): a table cuts the text of every
    row."""
    text = unicodedata.normalize("NFC", str(value))
    if length <= 0:
        return ""
    if any(unicodedata.combining(char) for char in set(text)):
        return Truncator(text).chars(length)
    if len(text) <= length:
        return text
    return add_truncation_text(text[: calculate_truncate_chars_length(length, None)])


def _special(text: str) -> bool:
    """Whether `text` has a character to escape: five scans at memchr speed, where a regex
    class walks the text a character at a time (long texts: titles, wordings, clauses)."""
    return "&" in text or "<" in text or ">" in text or '"' in text or "'" in text


def _escape(value) -> str:
    """Django's `conditional_escape` (html.escape), without its lazy-string wrapper: called
    for every `{{ … }}`. Escaped text is a safe string (see `_CodeGenerator`); a text with
    nothing to escape (most of a page's values, and every number) is returned as it is, since
    escaping it again could not change it."""
    kind = type(value)
    if kind is str:
        return SafeString(escape(value)) if _special(value) else value
    if kind is int:
        return str(value)
    if hasattr(value, "__html__"):
        return value if isinstance(value, str) else SafeString(value.__html__())
    text = str(value)
    return SafeString(escape(text)) if _special(text) else text


class _CodeGenerator(CodeGenerator):
    """Writes `{{ x }}` as `environment.finalize(x)` where Jinja2 writes
    `escape(environment.finalize(x))`: `_escape` already returns escaped text, which
    MarkupSafe's `escape` would only copy into a new `Markup`, for every value of every row.
    (The hook Jinja2's own NativeCodeGenerator overrides.)

    And hands an include's, a block's or the parent layout's output up as one string, joined
    where it is made: Jinja2 passes each piece (a tag's text, a value) up through every
    template it is nested in, a Python-level step per piece and level; a row of a resolution
    page is five levels down (row, body, content block, layout, page)."""

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame) -> None:
        """`a.b` of a variable: Python's `getattr(a, "b", missing)`, and Jinja2's lookup (which
        also reads `a["b"]`) only when `a` has no such attribute, where Jinja2 calls its
        lookup, a Python function, for each of the thousand `row.field` of a page."""
        if self.environment.is_async or not isinstance(node.node, nodes.Name):
            return super().visit_Getattr(node, frame)
        self.write("(t_getattr if (t_getattr := getattr(")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r}, missing)) is not missing else environment.getattr(")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r}))")

    def writeline(self, x: str, node=None, extra: int = 0) -> None:
        if x == "for event in gen:":  # an include, a block in a captured section
            x = "for event in (environment.concat(gen),):"
        elif x.startswith("yield from "):  # a block, the parent template
            x = f"yield environment.concat({x.removeprefix('yield from ')})"
        super().writeline(x, node, extra)

    def _output_child_pre(self, node, frame, finalize):
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape or finalize.src is None:
            return super()._output_child_pre(node, frame, finalize)
        self.write(finalize.src)

    def _output_child_post(self, node, frame, finalize):
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape or finalize.src is None:
            return super()._output_child_post(node, frame, finalize)
        self.write(")")


class _Context(jinja2.runtime.Context):
    """Calls a plain function, method or macro directly: Jinja2's `Context.call` first looks
    for `pass_context` and friends on the callable and its `__call__`, for each of the
    hundreds of calls a page of rows makes (`get_absolute_url()`, `date`, macros…). A
    `pass_context` function gets this context (when no variable was set in the loop or block
    that calls it: then Jinja2's derived context), and a macro called with all its positional
    arguments, and no keyword, caller or extra ones, runs its body as Jinja2's `Macro` would."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja2's signature)
        kind = type(__obj)
        if kind not in _DIRECT:
            return super().call(__obj, *args, **kwargs)
        loop_vars = kwargs.pop("_loop_vars", None)
        block_vars = kwargs.pop("_block_vars", None)
        try:
            if kind is Macro:
                if (
                    not kwargs
                    and len(args) == __obj._argument_count
                    and not (__obj.caller or __obj.catch_kwargs or __obj.catch_varargs)
                ):
                    out = __obj._func(*args)
                    return Markup(out) if __obj._default_autoescape else out
                return __obj(*args, **kwargs)
            passed = getattr(__obj, "jinja_pass_arg", None)
            if passed is None:
                return __obj(*args, **kwargs)
            if passed is _PassArg.context and not loop_vars and not block_vars:
                return __obj(__self, *args, **kwargs)
        except StopIteration:  # as Jinja2 answers it
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )
        return super().call(__obj, *args, _loop_vars=loop_vars, _block_vars=block_vars, **kwargs)


_DIRECT = {
    types.FunctionType,
    types.MethodType,
    types.BuiltinFunctionType,
    types.BuiltinMethodType,
    Macro,
}


class _Environment(jinja2.Environment):
    code_generator_class = _CodeGenerator
    context_class = _Context


class _WrittenIn(jinja2.ext.Extension):
    """`{{ _("…") }}` written into the template as its translation, when the template is
    compiled for a language (`environment(language)`): text like the template's own, where a
    page of rows made a few hundred calls to `_` and escaped their results. The translation is
    markup, written as it is (`translate`); one that contains Jinja2 syntax, or a message
    with a quote or backslash, stays a call."""

    LITERAL = re.compile(r'\{\{ _\("([^"\\]*)"\) \}\}')

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        language = self.environment.language
        if language is None:
            return source

        def written_in(match: re.Match) -> str:
            with override(language):
                text = str(translate(match.group(1)))
            return match.group(0) if any(m in text for m in ("{{", "{%", "{#")) else text

        return self.LITERAL.sub(written_in, source)


@cache
def environment(language: str | None = None) -> jinja2.Environment:
    """The environment of templates compiled for `language` (its translations written in;
    None: `_()` calls)."""
    from .templatetags import tracker  # which imports this module

    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        # Django's escaping for every `{{ … }}`; its SafeString passes Jinja2's autoescape.
        finalize=_escape,
        extensions=["jinja2.ext.i18n", _WrittenIn],
        auto_reload=settings.DEBUG,
        keep_trailing_newline=True,  # as DTL: a partial's last newline is written
    )
    env.language = language
    # Old-style: `_()` returns the message as is (no `%` formatting), like `{% translate %}`.
    env.install_gettext_callables(translate, ngettext, newstyle=False)
    env.filters.update(
        date=date,
        fill=fill,
        highlight_snippet=highlight_snippet,
        truncatechars=truncatechars,
    )
    env.globals.update(
        url=cached_reverse,
        progress_summary=progress_summary,
        more_citations=more_citations,
        more_citing=more_citing,
        overdue_summary=overdue_summary,
        overdue_more=overdue_more,
        untracked_summary=untracked_summary,
        counted_in=counted_in,
        missing_sessions=missing_sessions,
        in_this_tracker=in_this_tracker,
        on_several_pages=on_several_pages,
        querystring=querystring,
        url_or_empty=url_or_empty,
        current_address=jinja2.pass_context(tracker.current_address),
        status_help_url=tracker.status_help_url,
        kind_help_url=tracker.kind_help_url,
        text_with_acronyms=tracker.text_with_acronyms,
        # The DTL tags that read the page's context (as-of date, the request's memo).
        as_of_query=jinja2.pass_context(tracker.as_of_query),
        organ_name=jinja2.pass_context(tracker.organ_name),
        organ_link=jinja2.pass_context(tracker.organ_link),
        status_label=jinja2.pass_context(tracker.status_label),
        # The layout (templates/jinja2/_layout.html).
        current_language=pinned.language,
        static=static,
        language_versions_of=tracker.language_versions,
        site_header_values=tracker.site_header_values,
        past_banner_link=tracker.past_banner_link,
        slots=None,  # a DTL page's blocks (the {% layout %} tag); a Jinja2 page has blocks
    )
    return env


def macro(name: str, template: str):
    """A macro of a template that reads nothing of the page, to call from Python: no render
    (context, template code) per call."""
    return getattr(environment(get_language()).get_template(template).module, name)


def render(name: str, context: dict) -> SafeString:
    """The template rendered in the active language, safe for a DTL page."""
    # `_()` is this language's remembered translations, looked up directly (the i18n
    # extension's `_` is a context function that calls the context's `gettext`: two calls).
    language = get_language()
    translations = _translations(language)
    context["_"] = translations.__getitem__
    context["progress_summary"] = translations.progress_summary
    with pinned.rendering():
        return mark_safe(environment(language).get_template(name).render(context))


def response(request, name: str, context: dict) -> HttpResponse:
    """A whole page rendered by Jinja2: a template that extends the layout
    (templates/jinja2/_layout.html). Its context is what the test client's `response.context`
    shows, as for a DTL page."""
    context = {"request": request, **context}
    template = environment(get_language()).get_template(name)
    template_rendered.send(sender=template, template=template, context=context)
    return HttpResponse(render(name, context))
