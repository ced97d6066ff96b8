"""The importer's reading of files (encodings, PDF, .docx, refusals) and its small text
helpers (footnote markers, title case)."""

import pytest

from mandates.importer import (
    ImportFailed,
    read_bytes,
    read_file,
    strip_footnote_markers,
    title_case,
)
from tests.importer_helpers import DATA, SEED, flat, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("to protect children;1 and to", "to protect children; and to"),
        ("of the Organization.2", "of the Organization."),
        ("their families1 and", "their families and"),
        ("the families 2/ of", "the families of"),
        ("see note [3] here", "see note here"),
        ("paragraph V.A.1 of the Program", "paragraph V.A.1 of the Program"),
        ("AG/doc.5 rev. 1 and Article 36", "AG/doc.5 rev. 1 and Article 36"),
    ],
)
def test_footnote_markers_removed_only_where_unambiguous(text, expected):
    assert strip_footnote_markers(text) == expected


def test_title_case_keeps_small_words_and_acronyms():
    assert title_case("THE HUMAN RIGHTS OF ALL MIGRANT WORKERS AND THEIR FAMILIES") == (
        "The Human Rights of All Migrant Workers and Their Families"
    )
    assert title_case("SUPPORT FOR THE WORK OF THE OAS IN THE INTER-AMERICAN SYSTEM") == (
        "Support for the Work of the OAS in the Inter-American System"
    )


def test_read_file_refuses_text_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("AG/RES. 1\nResolución adoptada\n".encode("latin-1"))

    with pytest.raises(ImportFailed) as caught:
        read_file(path)

    assert caught.value.line == 2
    assert "not UTF-8" in str(caught.value)


def test_read_file_refuses_a_missing_file(tmp_path):
    with pytest.raises(ImportFailed, match="There is no file"):
        read_file(tmp_path / "nothing.txt")


def test_read_file_refuses_a_pdf_without_text_layer():
    import weasyprint

    # A page with a drawing only: no text to extract, as with a scan.
    pdf = weasyprint.HTML(
        string='<div style="width:5cm;height:5cm;background:black"></div>'
    ).write_pdf()

    with pytest.raises(ImportFailed, match="no text layer"):
        read_bytes(pdf, "scan.pdf")


def test_read_file_refuses_a_broken_pdf_or_docx():
    with pytest.raises(ImportFailed, match="not a readable PDF"):
        read_bytes(b"%PDF-1.7 garbage", "broken.pdf")
    with pytest.raises(ImportFailed, match="not a readable .docx"):
        read_bytes(b"PK\x03\x04 garbage", "broken.docx")


def test_read_file_accepts_a_bom_and_crlf(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "seed.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    result = parse(read_file(path))

    assert result["symbol"] == "AG/RES. 2289 (XXXVII-O/07)"
    assert len(result["paragraphs"]) == 23


def test_read_file_reads_a_docx_with_typed_numbers(tmp_path):
    import docx

    document = docx.Document()
    for line in (DATA / "ag-res-decides-subparagraphs.txt").read_text().split("\n\n"):
        document.add_paragraph(" ".join(line.split()))
    path = tmp_path / "resolution.docx"
    document.save(path)

    result = parse(read_file(path))

    assert list(flat(result["paragraphs"])) == ["1", "1.a", "1.b", "1.c", "2", "3"]
