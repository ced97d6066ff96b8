"""Reading a resolution's published text: structure, organs, deadlines, and clear refusals.

Most tests pass the organ directory and the sessions in memory (from fixtures/), so that the
parser is tested without a database; the last ones check the database defaults. Reading files
(PDF, .docx, encodings) and the text helpers: tests/test_importer_files.py.
"""

import datetime
import html
import io
import json

import pytest

from mandates.importer import (
    ImportFailed,
    parse_text,
    read_bytes,
    read_file,
)
from tests.importer_helpers import (
    DIRECTORY,
    FIXTURE,
    SEED,
    comparable,
    deadlines,
    flat,
    parse,
    parse_data,
    warnings_text,
)

# --------------------------------------------------------------------------------------------
# The seed and the curated fixture
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_2289():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_the_seed_parses_into_exactly_the_curated_fixture(fixture_2289):
    result = parse(SEED.read_text(encoding="utf-8"))

    assert result["symbol"] == fixture_2289["symbol"] == "AG/RES. 2289 (XXXVII-O/07)"
    assert result["title"] == fixture_2289["title"]
    assert result["adopted_on"] == fixture_2289["adopted_on"] == "2007-06-05"
    assert comparable(result["paragraphs"]) == comparable(fixture_2289["paragraphs"])
    # What saving needs beyond the JSON shape.
    assert result.adoption_note == fixture_2289["adoption_note"]
    assert result.preamble == fixture_2289["preamble"]
    assert (result.kind, result.session) == ("ga_resolution", 37)


def test_the_seed_json_has_the_stable_shape():
    result = parse(SEED.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(result))

    assert list(data) == ["symbol", "title", "adopted_on", "paragraphs"]
    p20 = flat(data["paragraphs"])["20"]
    assert set(p20) == {"label", "text", "kind", "organs", "deadlines", "children"}
    assert "children" not in flat(data["paragraphs"])["19"]
    assert p20["children"][2] == {
        "label": "20.c",
        "text": (
            "Presenting to the Permanent Council a report on the status of the rights of migrant "
            "workers and their families, prior to both the thirty-eighth and thirty-ninth regular"
            " sessions of the General Assembly."
        ),
        "kind": "instructs",
        "organs": ["IACHR", "PC"],
        "deadlines": [
            {
                "due_on": "2008-06-01",
                "session": 38,
                "wording": "prior to the thirty-eighth regular session",
            },
            {
                "due_on": "2009-06-02",
                "session": 39,
                "wording": "prior to the thirty-ninth regular session",
            },
        ],
    }


def test_the_seed_warns_only_about_organizations_outside_the_directory():
    result = parse(SEED.read_text(encoding="utf-8"))

    assert [w.line for w in result.warnings] == [81, 81]
    assert "“IOM”" in warnings_text(result)
    assert "“International Labour Organization (ILO)”" in warnings_text(result)


def test_a_session_deadline_without_a_known_session_has_no_date():
    result = parse_text(SEED.read_text(encoding="utf-8"), organs=DIRECTORY, sessions={})
    p23 = flat(result["paragraphs"])["23"]

    assert deadlines(p23) == [
        (None, 38, "at its thirty-eighth regular session"),
        (None, 39, "at its thirty-ninth regular session"),
    ]
    assert "regular session 38 is not in the directory of sessions" in warnings_text(result)


def seed_as_pdf() -> bytes:
    import weasyprint

    lines = SEED.read_text(encoding="utf-8").splitlines()
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    css = (
        "@page { size: Letter; margin: 2.5cm; @bottom-center { content: '- ' counter(page) ' -' }}"
        " body { font: 11pt serif } p { margin: 0 0 .6em }"
    )
    return weasyprint.HTML(string=f"<style>{css}</style>{body}").write_pdf()


def test_the_seed_printed_to_pdf_gives_the_same_parse(fixture_2289):
    # Wrapped lines, page numbers "- 2 -" and page breaks, as pypdf extracts them.
    text = read_bytes(seed_as_pdf(), "seed.pdf")
    assert "- 2 -" in text

    result = parse(text)

    assert comparable(result["paragraphs"]) == comparable(fixture_2289["paragraphs"])
    assert result.preamble == fixture_2289["preamble"]


def test_a_docx_with_word_numbering_keeps_its_paragraph_numbers(tmp_path, fixture_2289):
    import re

    import docx

    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        numbered = re.match(r"^\d+\.\s+(.*)", line)
        if numbered:
            # The number is Word's automatic numbering, not part of the text.
            document.add_paragraph(numbered.group(1), style="List Number")
        else:
            document.add_paragraph(line)
    path = tmp_path / "seed.docx"
    document.save(path)

    result = parse(read_file(path))

    assert comparable(result["paragraphs"]) == comparable(fixture_2289["paragraphs"])


# --------------------------------------------------------------------------------------------
# Other layouts (tests/data/import/)
# --------------------------------------------------------------------------------------------


def test_pdf_layout_with_right_aligned_header_page_numbers_and_tabs():
    result = parse_data("ag-res-pdf-layout.txt")
    paragraphs = flat(result["paragraphs"])

    assert result["symbol"] == "AG/RES. 2402 (XXXVIII-O/08)"
    # A title wrapped over two lines; header lines (OEA/Ser.P, dates, place) are not title.
    assert result["title"] == (
        "Follow-Up on the Inter-American Program for the Development of International Law"
    )
    assert result["adopted_on"] == "2008-06-03"
    assert list(paragraphs) == ["1", "2", "3", "4", "5"]
    # "- 2 -" between paragraphs 2 and 3 is gone; wrapped lines are joined with a space.
    assert paragraphs["2"]["text"] == (
        "To request the Permanent Council to hold, through its Committee on Juridical and "
        "Political Affairs, a special meeting on international law no later than March 31, "
        "2009, with the participation of the Inter-American Juridical Committee."
    )
    assert paragraphs["2"]["organs"] == ["PC", "CAJP", "CJI"]
    assert deadlines(paragraphs["2"]) == [("2009-03-31", None, "no later than March 31, 2009")]
    assert paragraphs["3"]["organs"] == ["GS", "PC"]
    assert deadlines(paragraphs["3"]) == [("2008-12-31", None, "in the second half of 2008")]
    assert paragraphs["5"]["organs"] == ["GS", "GA"]
    # A Roman numeral session: XXXIX.
    assert deadlines(paragraphs["5"]) == [("2009-06-02", 39, "at its XXXIX regular session")]
    assert paragraphs["1"]["organs"] == [] and paragraphs["1"]["deadlines"] == []


def test_an_organ_not_in_the_directory_is_a_warning_not_a_guess():
    result = parse_data("ag-res-pdf-layout.txt")

    assert flat(result["paragraphs"])["4"]["organs"] == []
    [warning] = result.warnings
    assert warning.line == 47
    assert "“Inter-American Committee on Widgets”" in warning.message
    assert "not in the organ directory" in warning.message


def test_decides_with_parenthesized_letters_and_lead_carried_to_sub_paragraphs():
    result = parse_data("ag-res-decides-subparagraphs.txt")
    paragraphs = flat(result["paragraphs"])

    assert result["symbol"] == "AG/RES. 2501 (XXXIX-O/09)"
    assert list(paragraphs) == ["1", "1.a", "1.b", "1.c", "2", "3"]
    assert paragraphs["1"]["text"] == "To instruct the Inter-American Commission of Women (CIM) to:"
    assert paragraphs["1.a"]["text"].startswith("prepare, within 90 days of the adoption")
    assert paragraphs["1.a"]["organs"] == ["CIM", "SEDI"]
    # Adopted June 4, 2009: plus 90 days.
    assert deadlines(paragraphs["1.a"]) == [
        ("2009-09-02", None, "within 90 days of the adoption of this resolution")
    ]
    assert deadlines(paragraphs["1.b"]) == [("2010-12-31", None, "during the year 2010")]
    assert paragraphs["1.c"]["organs"] == ["CIM", "PC"]
    # "38th"-style digits; session 41 opens on June 5, 2011.
    assert deadlines(paragraphs["1.c"]) == [("2011-06-05", 41, "before the 41st regular session")]
    # "periodically" and "annually" are no fixed deadline.
    assert paragraphs["2"]["deadlines"] == []
    assert paragraphs["3"]["organs"] == ["CIM", "GA"]
    assert deadlines(paragraphs["3"]) == [("2010-06-06", 40, "at its fortieth regular session")]
    assert result.warnings == []


def test_roman_sub_sub_paragraphs_footnote_markers_and_footnotes():
    result = parse_data("ag-res-roman-footnotes.txt")
    paragraphs = flat(result["paragraphs"])

    # "1/" after the title is a footnote marker.
    assert result["title"] == "The Rights of the Child"
    assert result["adopted_on"] == "2010-06-08"
    assert list(paragraphs) == ["1", "2", "2.a", "2.a.i", "2.a.ii", "2.b", "3"]
    assert paragraphs["1"]["text"] == (
        "To urge member states to adopt measures to protect children; and to request the "
        "Inter-American Children's Institute to provide technical assistance to them."
    )
    assert paragraphs["1"]["organs"] == ["MS", "IIN"]
    assert paragraphs["2.a.i"]["text"] == "Identify best practices in the member states; and"
    assert paragraphs["2.a.ii"]["organs"] == ["IIN", "PC"]
    assert deadlines(paragraphs["2.a.ii"]) == [("2011-12-31", None, "by the end of 2011")]
    assert deadlines(paragraphs["2.b"]) == [
        ("2010-12-08", None, "within six months of the adoption of this resolution")
    ]
    # The footnote texts ("1. The delegation of …") are not paragraphs 1 and 2 again.
    assert paragraphs["3"]["text"].endswith("program-budget of the Organization.")
    assert "Footnotes below this line" in warnings_text(result)


def test_footnotes_at_a_page_bottom_inline_resolves_and_roman_sub_paragraphs():
    result = parse_data("ag-res-page-footnotes.txt")
    paragraphs = flat(result["paragraphs"])

    # Quotes kept, the "1/" footnote marker dropped; the adoption note wraps.
    assert result["title"] == (
        "“Strengthening the Activities of the Inter-American Program of Judicial Facilitators”"
    )
    assert result.adoption_note == (
        "Adopted at the fourth plenary session, held on June 5, 2012, and pending review by the"
        " Style Committee"
    )
    assert list(paragraphs) == ["1", "2", "2.i", "2.ii", "3", "4"]
    assert paragraphs["1"]["text"] == "To reaffirm the importance of the Program."
    assert deadlines(paragraphs["2.i"]) == [("2012-12-31", None, "before December 31, 2012")]
    assert paragraphs["2.ii"]["organs"] == ["PC", "GA"]
    # The footnote between two pages is not part of paragraph 3, which goes on after it.
    assert paragraphs["3"]["text"] == (
        "To request the General Secretariat to support the Committee on Juridical and Political"
        " Affairs in the preparation of the meeting referred to in operative paragraph 2 and to "
        "report to the Permanent Council no later than March 15, 2013."
    )
    assert paragraphs["3"]["organs"] == ["GS", "CAJP", "PC"]
    assert deadlines(paragraphs["4"]) == [
        ("2012-07-05", None, "within thirty (30) days of the adoption of this resolution")
    ]
    # (Session 43 is in the directory now: no warning that it is missing.)
    assert [w.line for w in result.warnings] == [27]


def test_older_layout_unhyphenated_symbol_and_resolution_adopted_variant():
    result = parse_data("ag-res-older-layout.txt")
    paragraphs = flat(result["paragraphs"])

    assert result["symbol"] == "AG/RES. 2750 (XLI-O/11)"
    assert result["title"] == "Support for the Inter-American Juridical Committee"
    assert result["adopted_on"] == "2011-06-07"
    assert result.adoption_note == (
        "Resolution adopted at the fourth plenary session held June 7, 2011"
    )
    assert paragraphs["1"]["organs"] == ["CJI", "GA"]
    # Two sessions in a list, both in the directory with their opening dates.
    assert deadlines(paragraphs["1"]) == [
        ("2012-06-03", 42, "at its forty-second regular session"),
        ("2013-06-04", 43, "at its forty-third regular session"),
    ]
    assert paragraphs["2"]["organs"] == ["GS", "DIL"]
    assert deadlines(paragraphs["2"]) == [
        ("2012-12-31", None, "during the biennium 2011-2012"),
        ("2013-06-30", None, "in the first half of 2013"),
    ]
    assert deadlines(paragraphs["3"]) == [("2011-10-31", None, "by 31 October 2011")]
    assert paragraphs["4"]["organs"] == ["I/A Court H.R.", "IACHR"]
    assert "is not in the directory" not in warnings_text(result)  # 42 and 43 are listed


def test_a_permanent_council_resolution():
    result = parse_data("cp-res-permanent-council.txt")
    paragraphs = flat(result["paragraphs"])

    assert result["symbol"] == "CP/RES. 908 (1567/06)"
    assert (result.kind, result.session) == ("pc_resolution", None)
    assert result["adopted_on"] == "2006-10-25"
    assert result.preamble.startswith("THE PERMANENT COUNCIL OF THE ORGANIZATION")
    # Convening a meeting of a committee makes it responsible; a meeting date is no deadline.
    assert paragraphs["1"]["organs"] == ["CAJP"]
    assert paragraphs["1"]["deadlines"] == []
    assert paragraphs["2"]["organs"] == ["GS", "IACHR", "IIN", "CIM"]


def test_a_single_unnumbered_operative_paragraph_is_labelled_1():
    result = parse_data("unnumbered-operative.txt")

    [paragraph] = result["paragraphs"]
    assert paragraph["label"] == "1"
    assert paragraph["organs"] == ["IACHR"]
    assert deadlines(paragraph) == [("2013-06-30", None, "during the first half of 2013")]
    assert "not numbered" in warnings_text(result)


def test_a_text_without_adoption_note_has_no_date_and_says_so():
    text = (
        "AG/RES. 2610 (XL-O/10)\nTHE RIGHTS OF THE CHILD\nTHE GENERAL ASSEMBLY,\n"
        "RECALLING the Convention;\nRESOLVES:\n1. To urge member states to act.\n"
    )
    result = parse(text)

    # An all-caps title is not taken for "THE GENERAL ASSEMBLY,".
    assert result["title"] == "The Rights of the Child"
    assert result["adopted_on"] is None
    assert "No adoption date was found" in warnings_text(result)


def test_a_text_without_operative_part_is_refused_naming_the_line():
    with pytest.raises(ImportFailed) as caught:
        parse_data("no-operative-part.txt")

    assert caught.value.line == 11
    assert str(caught.value).startswith("Line 11: No operative part")


def test_a_duplicate_label_is_refused_naming_the_line():
    with pytest.raises(ImportFailed) as caught:
        parse_data("duplicate-labels.txt")

    assert caught.value.line == 15
    assert "Paragraph 2 appears twice (first at line 13)" in str(caught.value)


def test_a_duplicate_sub_paragraph_is_refused_naming_the_line():
    text = (
        "AG/RES. 1 (XL-O/10)\n\nA TITLE\n\n(Adopted on June 8, 2010)\n\nRESOLVES:\n\n"
        "1. To request the Permanent Council:\na. To meet;\nb. To report; and\nb. To act.\n"
    )
    with pytest.raises(ImportFailed) as caught:
        parse(text)

    assert caught.value.line == 12
    assert "Sub-paragraph 1.b appears twice" in str(caught.value)


def test_a_second_operative_part_is_refused():
    text = "AG/RES. 1 (XL-O/10)\n\nT\n\nRESOLVES:\n\n1. To meet.\n\nRESOLVES:\n\n1. To act.\n"
    with pytest.raises(ImportFailed) as caught:
        parse(text)

    assert caught.value.line == 9


def test_an_empty_text_is_refused():
    with pytest.raises(ImportFailed, match="empty"):
        parse("  \n\n")


# --------------------------------------------------------------------------------------------
# Deadlines, one wording at a time
# --------------------------------------------------------------------------------------------

HEADER = (
    "AG/RES. 2402 (XXXVIII-O/08)\n\nA RESOLUTION\n\n"
    "(Adopted at the fourth plenary session, held on June 3, 2008)\n\n"
    "THE GENERAL ASSEMBLY,\n\nRESOLVES:\n\n"
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("to report by March 31, 2009.", [("2009-03-31", None, "by March 31, 2009")]),
        (
            "to report no later than 15 January 2009.",
            [("2009-01-15", None, "no later than 15 January 2009")],
        ),
        ("to report before March 2009.", [("2009-03-31", None, "before March 2009")]),
        ("to meet in the first half of 2009.", [("2009-06-30", None, "in the first half of 2009")]),
        (
            "to meet during the second half of 2008.",
            [("2008-12-31", None, "during the second half of 2008")],
        ),
        (
            "to act during the biennium 2009–2010.",
            [("2010-12-31", None, "during the biennium 2009–2010")],
        ),
        ("to act during the year 2010.", [("2010-12-31", None, "during the year 2010")]),
        (
            "to act within 90 days of the adoption of this resolution.",
            [("2008-09-01", None, "within 90 days of the adoption of this resolution")],
        ),
        (
            "to act within three months of the adoption of this resolution.",
            [("2008-09-03", None, "within three months of the adoption of this resolution")],
        ),
        (
            "to report to the General Assembly at its thirty-ninth regular session.",
            [("2009-06-02", 39, "at its thirty-ninth regular session")],
        ),
        (
            "to report to the General Assembly at its 39th regular session.",
            [("2009-06-02", 39, "at its 39th regular session")],
        ),
        (
            "to report to the General Assembly at its XXXIX regular session.",
            [("2009-06-02", 39, "at its XXXIX regular session")],
        ),
        (
            "to report to the General Assembly at its next regular session.",
            [("2009-06-02", 39, "at its next regular session")],
        ),
        (
            "to report at its thirty-ninth, fortieth, and forty-first regular sessions.",
            [
                ("2009-06-02", 39, "at its thirty-ninth regular session"),
                ("2010-06-06", 40, "at its fortieth regular session"),
                ("2011-06-05", 41, "at its forty-first regular session"),
            ],
        ),
        (
            "to report at its Thirty-Ninth Regular Session.",
            [("2009-06-02", 39, "at its Thirty-Ninth Regular Session")],
        ),
        # A session already held is a reference, not a deadline.
        ("to implement what it adopted at its thirty-seventh regular session.", []),
        ("to report periodically and annually to the member states.", []),
        ("to report to the thirty-ninth special session.", []),
        ("to follow up on the Strategic Plan 2006-2009 adopted on March 5, 2006.", []),
    ],
)
def test_deadline_wordings(sentence, expected):
    result = parse(f"{HEADER}1. To request the Permanent Council {sentence}\n")

    assert deadlines(result["paragraphs"][0]) == expected


# --------------------------------------------------------------------------------------------
# Organs
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("To request the Secretary General to prepare a study.", ["GS"]),
        (
            "To request that the General Secretariat, in coordination with the CAJP, prepare a "
            "study.",
            ["GS", "CAJP"],
        ),
        ("To urge all states to ratify the Convention.", ["MS"]),
        (
            "To instruct the relevant organs, agencies, and entities of the Organization to act.",
            ["OAE"],
        ),
        ("To encourage the Organization of American States to act.", []),
        ("To thank the United States for its contribution.", []),
        (
            "To take note of the report of the Inter-American Juridical Committee.",
            [],
        ),
        (
            "To request the Permanent Council to report to the General Assembly on this matter.",
            ["PC", "GA"],
        ),
        (
            "To request the Secretary General to report to the Permanent Council and the "
            "General Assembly.",
            ["GS", "PC", "GA"],
        ),
        (
            "To request the Permanent Council and the Inter-American Juridical Committee to "
            "cooperate.",
            ["PC", "CJI"],
        ),
        (
            "To instruct the General Secretariat to present a report on its activities to the "
            "Permanent Council prior to the thirty-ninth regular session of the General Assembly.",
            ["GS", "PC"],
        ),
    ],
)
def test_organs_named_as_responsible(sentence, expected):
    result = parse(f"{HEADER}1. {sentence}\n")

    assert result["paragraphs"][0]["organs"] == expected


def test_organs_come_from_aliases_longest_first():
    found = DIRECTORY.find(
        "the IACHR Special Rapporteurship on Migrant Workers and Their Families and the IACHR"
    )

    assert [acronym for _start, _end, acronym in found] == ["SRMW", "IACHR"]


def test_acronyms_inside_document_symbols_are_not_organs():
    assert DIRECTORY.find("document CP/CAJP-2456/07 and AG/RES. 2141") == []


# --------------------------------------------------------------------------------------------
# The database as default directory
# --------------------------------------------------------------------------------------------


@pytest.fixture
def directory_in_db(db):
    from tests import snapshot

    snapshot.default_data(["organs.json", "sessions.json"])


def test_organs_and_sessions_come_from_the_database_by_default(directory_in_db):
    from mandates.models import Organ, Session

    Organ.objects.filter(acronym="CAJP").update(aliases="the Juridical Committee of the Council")
    Session.objects.filter(ordinal=39).update(start_date=datetime.date(2009, 6, 1))
    text = f"{HEADER}1. To request the Juridical Committee of the Council to report to the "
    text += "General Assembly at its thirty-ninth regular session.\n"

    result = parse_text(text)

    assert result["paragraphs"][0]["organs"] == ["CAJP", "GA"]
    assert deadlines(result["paragraphs"][0]) == [
        ("2009-06-01", 39, "at its thirty-ninth regular session")
    ]


def test_parse_result_gives_the_data_to_save():
    result = parse(SEED.read_text(encoding="utf-8"))

    data = result.to_instrument(source="seed.txt")

    assert data["kind"] == "ga_resolution" and data["session"] == 37
    assert data["source"] == "seed.txt"
    assert data["paragraphs"] is result["paragraphs"]
    assert io.StringIO(json.dumps(data)).getvalue()
