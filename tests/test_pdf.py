"""PDF compliance summaries: what a delegate reads in the extracted text, and how it is made."""

from __future__ import annotations

import datetime
import io
import re
import socket

import pytest
from pypdf import PdfReader

from mandates import pdf, pdf_render
from mandates.models import Deadline, Mandate, ProgressRecord, Resolution

SLUG = "ag-res-2289-xxxvii-o-07"
SYMBOL = "AG/RES. 2289 (XXXVII-O/07)"
URL = f"/resolutions/{SLUG}/summary.pdf"
LABELS_2289 = [str(n) for n in range(1, 20)] + ["20", "20.a", "20.b", "20.c", "21", "22", "23"]
OVERDUE_TODAY = {"11", "12", "14", "15", "20", "20.c", "23"}
# A status, or the kind of a paragraph that has none (its label wraps in the narrow column).
STATUS_WORDS = re.compile(
    r"\b(Met late|Met|Pending|Overdue|Declaratory — no follow- ?up|Calls on states — not tracked)"
)
DECLARATORY = ["1", "2"]
CALLS_ON_STATES = ["3", "4", "5", "6", "7", "8", "9", "13", "22"]
UNTRACKED = {
    **dict.fromkeys(DECLARATORY, "Declaratory — no follow-up"),
    **dict.fromkeys(CALLS_ON_STATES, "Calls on states — not tracked"),
}
LABEL = re.compile(r"¶(\d+(?:\.\w+)*)")


def get_pdf(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response.content


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Whitespace removed: line wrapping in the PDF does not matter."""
    return re.sub(r"\s+", "", text)


def rows_by_label(text: str) -> dict[str, str]:
    """Each table row's text, from its "¶label" to the next one (one resolution's table)."""
    matches = list(LABEL.finditer(text))
    rows = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(text)
        rows.setdefault(match.group(1), text[match.end() : end])
    return rows


def status_of(row_text: str) -> str:
    words = STATUS_WORDS.findall(" ".join(row_text.split()))
    assert len(words) == 1, row_text
    return words[0].replace("follow- up", "follow-up")


def table_part(text: str) -> str:
    """From the first table row to the glossary (leaves out cover, counts and legend)."""
    # The tables follow the opening summary (which names overdue paragraphs too).
    head = text.find("Paragraph (opening words)")
    start = LABEL.search(text, max(head, 0)).start()
    end = text.find("Organs named in this summary")
    return text[start : end if end > 0 else len(text)]


@pytest.mark.django_db
def test_resolution_summary_as_of_2008(client, default_data):
    content = get_pdf(client, f"{URL}?as_of=2008-01-01")
    text = pdf_text(content)
    assert SYMBOL in text
    assert "The Human Rights of All Migrant Workers and Their Families" in text
    assert "January 1, 2008" in text
    assert "Organization of American States" in text
    assert re.search(r"Page 1 of (\d+)", text)
    pages = len(PdfReader(io.BytesIO(content)).pages)
    assert f"Page {pages} of {pages}" in text
    rows = rows_by_label(table_part(text))
    assert list(rows) == LABELS_2289
    assert {label: status_of(row) for label, row in rows.items()} == (
        dict.fromkeys(LABELS_2289, "Pending") | UNTRACKED
    )
    # Counts: 23 top-level paragraphs, the 12 tracked all pending, then those not tracked.
    # In the web's order: overdue, pending, met.
    assert re.search(
        r"Overdue\s+Pending\s+Met\s+Declaratory.*?Total\s+0\s+12\s+0\s+2\s+9\s+23", text, re.S
    )


@pytest.mark.django_db
def test_resolution_summary_as_of_today(client, default_data):
    text = pdf_text(get_pdf(client, URL))
    today = datetime.date.today()
    assert f"{today:%B} {today.day}, {today.year}" in text
    rows = rows_by_label(table_part(text))
    assert list(rows) == LABELS_2289
    statuses = {label: status_of(row) for label, row in rows.items()}
    assert {label for label, s in statuses.items() if s == "Overdue"} == OVERDUE_TODAY
    assert {label for label, s in statuses.items() if s == "Pending"} == (
        set(LABELS_2289) - OVERDUE_TODAY - set(UNTRACKED)
    )
    assert {label: statuses[label] for label in UNTRACKED} == UNTRACKED
    top_level_overdue = len({label for label in OVERDUE_TODAY if "." not in label})
    assert re.search(
        rf"Overdue\s+Pending\s+Met\s+Declaratory.*?Total\s+{top_level_overdue}\s+"
        rf"{12 - top_level_overdue}\s+0\s+2\s+9\s+23",
        text,
        re.S,
    )
    assert "Not tracked: 2 declaratory, 9 calling on states." in " ".join(text.split())


@pytest.mark.django_db
def test_every_paragraph_opening_words_deadlines_and_organs(client, default_data):
    text = pdf_text(get_pdf(client, f"{URL}?as_of=2008-01-01"))
    squashed = flat(text)
    mandates = Mandate.objects.filter(resolution__slug=SLUG)
    assert mandates.count() == 26
    for mandate in mandates:
        assert flat(mandate.text[:100]) in squashed, mandate.label
    for deadline in Deadline.objects.filter(mandate__resolution__slug=SLUG):
        assert flat(deadline.wording) in squashed
    assert flat("in the first half of 2008: June 30, 2008") in squashed
    assert flat("at its thirty-eighth regular session: June 1, 2008") in squashed
    for acronym in ("CAJP", "IACHR", "OAE", "MS", "PC", "GA", "IACD", "DIL"):
        assert acronym in text


@pytest.mark.django_db
def test_sub_paragraphs_follow_their_parent(client, default_data):
    text = table_part(pdf_text(get_pdf(client, URL)))
    positions = [text.index(f"¶{label}") for label in ("20", "20.a", "20.b", "20.c", "21")]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_met_late_and_latest_progress(client, default_data):
    mandate = Mandate.objects.get(resolution__slug=SLUG, label="14")
    record = ProgressRecord.objects.create(
        mandate=mandate,
        date=datetime.date(2009, 9, 15),
        title="Special meeting on migration held",
        document_symbol="CP/CAJP-2790/09",
    )
    record.fulfils.set(mandate.deadlines.all())
    rows = rows_by_label(table_part(pdf_text(get_pdf(client, URL))))
    assert status_of(rows["14"]) == "Met late"
    assert flat("Met late September 15, 2009 CP/CAJP-2790/09") in flat(rows["14"])
    assert flat("fulfilled late, Sep 15, 2009") in flat(rows["14"])
    # As of a date before the record, the record does not exist yet.
    rows = rows_by_label(table_part(pdf_text(get_pdf(client, f"{URL}?as_of=2009-07-01"))))
    assert status_of(rows["14"]) == "Overdue"
    assert "CP/CAJP-2790/09" not in rows["14"]


@pytest.mark.django_db
def test_metadata_language_tags_and_filename(client, default_data):
    response = client.get(f"{URL}?as_of=2008-01-01")
    assert response["Content-Disposition"] == (f'inline; filename="{SLUG}-summary-2008-01-01.pdf"')
    reader = PdfReader(io.BytesIO(response.content))
    assert SYMBOL in reader.metadata.title
    assert reader.metadata.author == "Organization of American States"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


@pytest.mark.django_db
def test_letter_paper(client, default_data):
    content = get_pdf(client, f"{URL}?paper=letter&as_of=2008-01-01")
    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("as_of=2008-02-30", "“as_of” must be a real date written YYYY-MM-DD."),
        ("as_of=yesterday", "“as_of” must be a real date written YYYY-MM-DD."),
        ("paper=legal", "“paper” must be “a4” or “letter”, not “legal”."),
    ],
)
def test_bad_parameters_give_400(client, default_data, query, message):
    for url in (URL, "/organs/CAJP/summary.pdf", "/mandates/summary.pdf"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert message in response.content.decode()


@pytest.mark.django_db
def test_bad_filter_gives_400(client, default_data):
    response = client.get("/mandates/summary.pdf?status=late&organ=NOPE")
    assert response.status_code == 400
    body = response.content.decode()
    assert "is not a status" in body
    assert "There is no organ with the acronym" in body


@pytest.mark.django_db
def test_unknown_resolution_or_organ_is_404(client, default_data):
    assert client.get("/resolutions/no-such-thing/summary.pdf").status_code == 404
    assert client.get("/organs/NOPE/summary.pdf").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "status=overdue",
        "status=pending&as_of=2008-01-01",
        "organ=IACHR",
        "resolution=santiago-plan-of-action-migrant-workers&as_of=1999-01-01",
        "q=migrant&due_after=2008-01-01&due_before=2008-12-31",
        "",
    ],
)
def test_filtered_view_has_the_same_mandates_as_the_list(client, default_data, query):
    page = client.get(f"/mandates/?{query}")
    assert page.status_code == 200
    assert not page.context["page"].has_other_pages()  # the default data fits one page
    listed = list(page.context["page"].object_list)
    text = pdf_text(get_pdf(client, f"/mandates/summary.pdf?{query}"))
    labels = LABEL.findall(table_part(text)) if LABEL.search(text) else []
    assert sorted(labels) == sorted(m.label for m in listed)
    for symbol in {m.resolution.symbol for m in listed}:
        assert symbol in text
    # Overdue, pending, met (and declaratory, calling on states when some are listed), total.
    assert re.search(rf"Total\s+(?:\d+\s+){{3,5}}{len(listed)}\b", text)


@pytest.mark.django_db
def test_list_page_and_resolution_page_link_to_their_pdf(client, default_data):
    body = client.get(f"/resolutions/{SLUG}/?as_of=2008-01-01").content.decode()
    assert f"{URL}?as_of=2008-01-01" in body
    body = client.get("/mandates/?status=overdue&organ=CAJP").content.decode()
    assert re.search(r"/mandates/summary\.pdf\?[^\"]*status=overdue", body)


@pytest.mark.django_db
def test_empty_selection_says_so(client, default_data):
    content = get_pdf(client, "/mandates/summary.pdf?q=no-paragraph-says-this")
    text = pdf_text(content)
    assert "No mandate matches this selection." in text
    assert "Page 1 of 1" in text
    # One line, not a page of zeros.
    assert "Total" not in text and "Summary: overdue first" not in text
    assert "How statuses are determined" not in text


@pytest.mark.django_db
def test_the_summary_opens_with_what_is_overdue_longest_first(client, default_data):
    text = pdf_text(get_pdf(client, f"{URL}?as_of=2010-06-01"))
    glance = text[text.index("Summary: overdue first") : text.index("Status as of June 1, 2010")]
    assert "6 operative paragraphs are overdue as of June 1, 2010" in glance
    assert LABEL.findall(glance) == ["15", "20", "20.c", "23", "14", "11", "12"]
    squashed = flat(glance)
    # Since when, how late, who must act, and what was missed (by a sub-paragraph for ¶20).
    assert flat("¶15 June 1, 2008 2 years") in squashed
    assert flat("¶11 December 31, 2009 5 months General Secretariat (GS)") in squashed
    assert flat("Inter-American Commission on Human Rights (IACHR) ¶20.c missed") in squashed
    assert flat("“in the first half of 2008”") in squashed


@pytest.mark.django_db
def test_document_header_in_the_oas_style(client, default_data):
    text = pdf_text(get_pdf(client, URL))
    assert "ORGANIZATION OF AMERICAN STATES" in text and "Original: English" in text
    header = text[: text.index("Original: English")]
    assert "COMMITTEE" not in header
    organ = pdf_text(get_pdf(client, "/organs/CAJP/summary.pdf"))
    assert "COMMITTEE ON JURIDICAL AND POLITICAL AFFAIRS" in organ


@pytest.mark.django_db
def test_file_names_say_what_the_pdf_is(client, default_data):
    def filename(url):
        return client.get(url)["Content-Disposition"]

    assert filename(f"{URL}?as_of=2008-01-01") == (
        f'inline; filename="{SLUG}-summary-2008-01-01.pdf"'
    )
    assert filename("/organs/CAJP/summary.pdf?as_of=2008-01-01") == (
        'inline; filename="cajp-mandates-summary-2008-01-01.pdf"'
    )
    assert filename("/mandates/summary.pdf?status=overdue&organ=CAJP&as_of=2010-01-01") == (
        'inline; filename="mandates-organ-cajp-status-overdue-summary-2010-01-01.pdf"'
    )


@pytest.mark.django_db
def test_organ_summary(client, default_data):
    text = pdf_text(get_pdf(client, "/organs/CAJP/summary.pdf?as_of=2008-07-01"))
    assert "Committee on Juridical and Political Affairs" in text
    assert "July 1, 2008" in text
    rows = rows_by_label(table_part(text))
    assert set(rows) == {"14", "16"}
    assert status_of(rows["14"]) == "Overdue"  # "in the first half of 2008" was missed
    assert status_of(rows["16"]) == "Pending"
    # Organs under another: the Permanent Council answers for what its committees must do;
    # it only receives the report of ¶20.c, so ¶20 is not its paragraph.
    text = pdf_text(get_pdf(client, "/organs/PC/summary.pdf?as_of=2008-07-01"))
    labels = set(LABEL.findall(table_part(text)))
    assert {"10", "14", "16", "17", "23"} <= labels
    assert "20" not in labels and "20.c" not in labels


@pytest.mark.django_db
def test_organ_with_a_slash_in_its_acronym(client, default_data):
    response = client.get("/organs/I/A Court H.R./summary.pdf")
    assert response.status_code == 200
    assert 'filename="i-a-court-h-r-mandates-summary-' in response["Content-Disposition"]
    assert "No mandate matches this selection" in pdf_text(response.content)


# --------------------------------------------------------------------------------------------
# Rendering: no network, CSS strings
# --------------------------------------------------------------------------------------------


def test_fetcher_refuses_network_and_files_outside_static(tmp_path):
    fetcher = pdf_render.NoNetworkFetcher()
    for url in (
        "http://example.org/style.css",
        "https://fonts.googleapis.com/css2?family=Roboto",
        "ftp://example.org/x",
        "data:text/css,body{}",
        "file:///etc/passwd",
        "file://example.org/share/x.css",
    ):
        with pytest.raises(ValueError):
            fetcher(url)
    inside = pdf_render.STATIC_DIR / "css"
    if inside.is_dir() and any(inside.iterdir()):
        first = next(p for p in inside.iterdir() if p.is_file())
        assert fetcher(first.as_uri()).read()


def test_rendering_opens_no_connection(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in this test")

    # Name resolution comes first: WeasyPrint's default fetcher would call it twice here.
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    html = (
        '<html lang="en"><head><title>t</title>'
        '<link rel="stylesheet" href="https://example.org/s.css">'
        "<style>@import url(http://example.org/i.css);"
        "@font-face { font-family: X; src: url(https://example.org/x.woff2) }</style>"
        '</head><body><p style="font-family: X">Text</p>'
        '<img src="http://example.org/logo.png" alt="logo"></body></html>'
    )
    content = pdf_render.render_pdf(html)
    assert content.startswith(b"%PDF-")
    assert attempts == []
    assert "Text" in pdf_text(content)


def test_css_strings_are_escaped():
    # Quotes, backslashes and < > as CSS hex escapes (a space ends each escape).
    assert pdf_render.css_string('A "b" \\ </style>') == '"A \\22 b\\22  \\5C  \\3C /style\\3E "'
    assert pdf_render.page_counter_content() == '"Page " counter(page) " of " counter(pages)'


def test_opening_words():
    assert pdf.opening_words("Short  text.\n") == "Short text."
    long = " ".join(["word"] * 200)
    opening = pdf.opening_words(long)
    assert opening.endswith("…")
    assert 100 <= len(opening) <= pdf.OPENING_MAX


@pytest.mark.django_db
def test_query_count_does_not_grow_with_mandates(
    client, default_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        get_pdf(client, URL)
    Resolution.objects.get(slug=SLUG)  # still there after the request


def test_a_selection_too_large_for_a_pdf_is_refused_with_a_way_forward(
    client, default_data, monkeypatch
):
    monkeypatch.setattr(pdf, "PDF_MAX_ROWS", 1)
    for url in ("/mandates/summary.pdf", "/organs/IACHR/summary.pdf"):
        response = client.get(url)
        assert response.status_code == 400
        assert "a PDF summary holds at most 1." in response.content.decode()
    assert client.get("/mandates/summary.pdf?status=met").status_code == 200
