"""What the importer's tests share: the seed, the curated fixture, the organ directory and
sessions read from fixtures/ (no database), and ways to look at a parse."""

import json
from pathlib import Path

from mandates.importer import OrganDirectory, parse_text
from tests.shared_paths import SEEDS

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "import"
SEED = SEEDS / "ag-res-2289-xxxvii-o-07.txt"
FIXTURE = ROOT / "fixtures" / "ag-res-2289-xxxvii-o-07.json"
ORGANS = json.loads((ROOT / "fixtures" / "organs.json").read_text(encoding="utf-8"))
SESSIONS = json.loads((ROOT / "fixtures" / "sessions.json").read_text(encoding="utf-8"))
DIRECTORY = OrganDirectory.build(ORGANS)


def parse(text: str):
    return parse_text(text, organs=DIRECTORY, sessions=SESSIONS)


def parse_data(name: str):
    return parse((DATA / name).read_text(encoding="utf-8"))


def flat(paragraphs):
    """{label: paragraph} over paragraphs and sub-paragraphs."""
    result = {}
    for item in paragraphs:
        result[item["label"]] = item
        result.update(flat(item.get("children", [])))
    return result


def comparable(paragraphs):
    """The fields the JSON shape promises, nothing the fixture adds (progress)."""
    keys = ("label", "text", "organs", "deadlines")
    out = []
    for item in paragraphs:
        row = {key: item[key] for key in keys}
        # The parser lists report recipients among the organs; the curated fixture keeps
        # them apart ("reports_to") and a re-import keeps that curation (loading.py).
        row["organs"] = [*row["organs"], *item.get("reports_to", [])]
        if item.get("children"):
            row["children"] = comparable(item["children"])
        out.append(row)
    return out


def deadlines(paragraph):
    return [(d["due_on"], d["session"], d["wording"]) for d in paragraph["deadlines"]]


def warnings_text(result):
    return "\n".join(str(w) for w in result.warnings)
