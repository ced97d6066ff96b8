"""HTML to PDF with WeasyPrint, never touching the network: the CSS is inlined in the HTML,
fonts are system fonts (DejaVu), and the URL fetcher refuses every URL that is not a file
under the project's static directory. Also the paper size a request asks for and the
response that carries the file (mandates/pdf.py makes the summaries)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .text import clean_control_characters
from .views import BadRequest

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()

# ?paper= value -> CSS @page size.
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
DEFAULT_PAPER = "a4"


class NoNetworkFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that refuses the network.

    Only ``file://`` URLs of files inside the project's static directory are read (nothing
    in the summaries needs even that today: CSS is inline, fonts are system fonts). Anything
    else - http(s), ftp, data, files elsewhere on disk - raises, and WeasyPrint skips it.
    """

    def __init__(self, root: Path = STATIC_DIR):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, timeout=1)
        self.root = root

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Network access is disabled while rendering PDFs: {url}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"Only files under {self.root} may be read while rendering: {url}")
        return super().fetch(path.as_uri(), headers)


def css_string(text: str) -> str:
    """`text` as a quoted CSS string, safe inside a <style> element.

    Every character that could end the string or the style element (quotes, backslash, any
    line break or control character, < > &) is written as a CSS hex escape; line breaks as
    "\\A " (a new line in `content`)."""
    out = []
    for char in clean_control_characters(str(text)):
        if char == "\n":
            out.append("\\A ")
        elif char in "\"'\\<>&" or ord(char) < 0x20 or char in "\u2028\u2029":
            out.append(f"\\{ord(char):X} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def page_counter_content() -> str:
    """CSS `content` for "Page X of Y", from one translatable sentence."""
    sentence = _("Page %(page)s of %(pages)s")
    out, rest = [], sentence
    while rest:
        page_at, pages_at = rest.find("%(page)s"), rest.find("%(pages)s")
        hits = [(i, m) for i, m in ((page_at, "page"), (pages_at, "pages")) if i >= 0]
        if not hits:
            out.append(css_string(rest))
            break
        index, name = min(hits)
        if index:
            out.append(css_string(rest[:index]))
        out.append(f"counter({name})")
        rest = rest[index + len(f"%({name})s") :]
    return " ".join(out)


def render_pdf(html: str) -> bytes:
    """Lay out and write the PDF: tagged (PDF/UA-1: structure tags, title and language in
    the metadata), fonts subset, no network."""
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=NoNetworkFetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")


def parse_paper(request) -> str:
    value = request.GET.get("paper", "").strip().lower() or DEFAULT_PAPER
    if value not in PAPER_SIZES:
        raise BadRequest(
            [
                _("“paper” must be “a4” or “letter”, not “%(value)s”.")
                % {"value": request.GET.get("paper", "")[:30]}
            ]
        )
    return value


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Length"] = str(len(pdf))
    return response
