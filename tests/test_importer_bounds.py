"""Hostile input is refused in seconds with a clear message (issue 15, point 7): .docx zip
bombs, texts far larger than a resolution, and a paragraph packed with deadline phrases (the
deadline search is linear)."""

import io
import json
import time
import zipfile
from pathlib import Path

import pytest

from mandates.importer import ImportFailed, OrganDirectory, parse_text, read_bytes

ROOT = Path(__file__).resolve().parent.parent
DIRECTORY = OrganDirectory.build(
    json.loads((ROOT / "fixtures" / "organs.json").read_text(encoding="utf-8"))
)
SESSIONS = json.loads((ROOT / "fixtures" / "sessions.json").read_text(encoding="utf-8"))


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_docx_that_inflates_to_far_more_than_a_resolution_is_refused_at_once():
    # ~60 KB on disk, 64 MB once inflated: the shape of a zip bomb.
    bomb = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * (64 << 20)})
    assert len(bomb) < 200_000

    # Refused from the archive's directory ("would unpack to"), before anything is inflated.
    with pytest.raises(ImportFailed, match=r"would unpack to 64 MB.*zip bomb"):
        read_bytes(bomb, "bomb.docx")


def test_a_docx_with_thousands_of_entries_is_refused():
    many = zipped({f"word/media/{n}.xml": b"x" for n in range(1500)})

    with pytest.raises(ImportFailed, match="holds 1500 files"):
        read_bytes(many, "many.docx")


def test_a_text_far_larger_than_a_resolution_is_refused_in_seconds():
    text = "AG/RES. 1 (I-O/71)\nTITLE\nRESOLVES:\n1. " + "by June 30, 2030, " * 250_000

    # Refused on its length, before any line is read.
    with pytest.raises(ImportFailed, match="more than any resolution"):
        parse_text(text, organs=DIRECTORY, sessions=SESSIONS)


def deadline_paragraph(phrases: int) -> str:
    body = " ".join(
        f"to report by June {1 + n % 28}, {2030 + n % 50} and in the first half of {2031 + n % 40};"
        for n in range(phrases)
    )
    return (
        "AG/RES. 2900 (XLIII-O/13)\nA TITLE\n(Adopted on June 5, 2013)\nTHE GENERAL ASSEMBLY,\n"
        f"RESOLVES:\n1. To request the Permanent Council {body}\n"
    )


def test_a_paragraph_packed_with_deadlines_is_read_in_linear_time():
    def timed(phrases):
        text = deadline_paragraph(phrases)
        started = time.perf_counter()
        result = parse_text(text, organs=DIRECTORY, sessions=SESSIONS)
        return time.perf_counter() - started, result

    small_time, small = timed(1000)
    large_time, large = timed(4000)

    # Every phrase is found, in both ("by June …" and "the first half of …" each).
    assert len(small["paragraphs"][0]["deadlines"]) == 2000
    assert len(large["paragraphs"][0]["deadlines"]) == 8000
    # Four times the phrases, about four times the work (quadratic would be sixteen); the
    # bound is loose for a busy machine.
    assert large_time < 8 * small_time + 1
