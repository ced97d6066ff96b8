"""The operative part: lines -> numbered paragraphs and sub-paragraphs."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import from_roman
from .layout import (
    _ANNEX_LINE,
    _END_MARKER,
    _PAGE_NUMBER,
    _PLENARY,
    _SEPARATOR,
    _TOP_LABEL,
    _TRIGGER,
    _TRIGGER_ANYCASE,
    _UN_PAGE_MARK,
)
from .reading import _clean, _Line
from .results import ImportFailed


@dataclass
class _Node:
    label: str
    line: int
    parts: list[tuple[int, str]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    kind: str = "number"  # number / letter / roman
    style: str = ""  # the marker's shape, so that "a." siblings are not "(a)" ones
    # The joined text and where each part starts in it, computed once (parts are complete by
    # the time meaning reads them).
    _text: str | None = field(default=None, repr=False, compare=False)
    _offsets: list[int] = field(default_factory=list, repr=False, compare=False)

    def text(self) -> str:
        if self._text is None:
            pieces: list[str] = []
            offsets: list[int] = []  # where each part starts in the joined text
            length = 0
            for _line, part in self.parts:
                part = _clean(part)
                if not part:
                    offsets.append(length)
                    continue
                last = pieces[-1] if pieces else ""
                glued = (
                    last.endswith("-")
                    and len(last) > 1
                    and last[-2].isalpha()
                    and part[:1].isalpha()
                ) or (last.endswith("/") and not last.endswith(" /"))
                if pieces and not glued:
                    # "inter-" + "American", "AG/" + "RES.": broken at the line end, glued.
                    pieces.append(" ")
                    length += 1
                offsets.append(length)
                pieces.append(part)
                length += len(part)
            self._text = "".join(pieces)
            self._offsets = offsets
        return self._text

    def line_at(self, offset: int) -> int:
        """The source line of a character offset in ``text()``, for warnings."""
        if not self.parts:
            return self.line
        self.text()
        index = bisect.bisect_right(self._offsets, offset) - 1
        return self.parts[max(index, 0)][0]


# How an operative paragraph opens: "Decides", "Also requests", "To instruct", "Encomendar".
_OPERATIVE_START = re.compile(
    r"^(?:To\s+[a-z]+|(?:Also|Further|Again|Once\s+again)\s+[a-z]+|[A-Z][a-z]+(?:s|es)"
    r"|[A-Z][a-zé]+(?:ar|er|ir))\b"
)
# Footnote text as Markdown extraction gives it: "[^1]: A/77/165."
_FOOTNOTE_TEXT = re.compile(r"^\[\^\d{1,3}\]:")


class ParagraphLayout:
    """The operative part as a tree of numbered paragraphs."""

    def body_lines(self, lines: list[_Line], first_body: str, symbol: str) -> list[_Line]:
        """The operative lines, without page numbers, running headers and footnotes."""
        body: list[_Line] = []
        if first_body:
            body.append(_Line(lines[0].number - 1 if lines else 1, first_body))
        in_footnotes = False
        footnote_start = None
        blank = page_break = False
        running_title = _clean(getattr(self, "title_text", "")).casefold()
        for line in lines:
            stripped = line.text.strip()
            if stripped == "\f":
                in_footnotes = False
                page_break = True
                continue
            if in_footnotes:
                if _PAGE_NUMBER.match(stripped):
                    in_footnotes = False
                continue
            if not stripped:
                blank = True
                continue
            if (
                _PAGE_NUMBER.match(stripped)
                or _UN_PAGE_MARK.match(stripped)
                or _FOOTNOTE_TEXT.match(stripped)
                or self.is_noise(stripped, symbol)
                or (running_title and _clean(stripped).casefold() == running_title)
            ):
                # A page break: what follows may continue the paragraph.
                page_break = True
                continue
            if _PLENARY.match(stripped):
                break  # "52nd plenary meeting 1 December 2025" closes the resolution
            line = _Line(line.number, line.text, after_blank=blank, after_page_break=page_break)
            blank = page_break = False
            if _TRIGGER_ANYCASE.match(stripped) or (
                (m := _TRIGGER.match(stripped)) and not m.group("before")
            ):
                raise ImportFailed(
                    _(
                        "A second operative part begins here; a text with several sections, each "
                        "with its own “RESOLVES:”, must be imported one section at a time."
                    ),
                    line=line.number,
                )
            if _SEPARATOR.match(stripped):
                in_footnotes = True
                footnote_start = footnote_start or line.number
                continue
            if _END_MARKER.match(stripped) or _ANNEX_LINE.match(stripped):
                self.warn(
                    line.number,
                    _(
                        "The operative part ends here; what follows (notes, annexes) is not "
                        "imported."
                    ),
                )
                break
            body.append(line)
        if footnote_start:
            self.warn(
                footnote_start,
                _("Footnotes below this line were left out of the paragraphs."),
            )
        return body

    def build_paragraphs(self, body: list[_Line], trigger_line: int) -> list[_Node]:
        nodes: list[_Node] = []
        seen: dict[str, int] = {}
        current_top: _Node | None = None
        current: _Node | None = None
        preface: list[_Line] = []

        for line in body:
            text = line.text.strip()
            if current is not None and line.after_blank:
                text = self.infer_label(text, current_top, current, line.number) or text
            top = _TOP_LABEL.match(text)
            if top:
                number = int(top.group("n1") or top.group("n2"))
                rest = top.group("rest") or ""
                expected = int(current_top.label) + 1 if current_top else None
                looks_like_start = not rest or rest[:1].isupper() or rest[:1] in "“\"‘'(«"
                if (
                    current_top is not None
                    and str(number) in seen
                    and looks_like_start
                    and number <= int(current_top.label)
                ):
                    raise ImportFailed(
                        _(
                            "Paragraph %(label)s appears twice (first at line %(first)d); "
                            "check the numbering."
                        )
                        % {"label": number, "first": seen[str(number)]},
                        line=line.number,
                    )
                accepted = looks_like_start and (
                    expected is None or number == expected or number > expected
                )
                if accepted:
                    if expected is not None and number != expected:
                        self.warn(
                            line.number,
                            _("Numbering jumps from %(a)d to %(b)d.")
                            % {"a": expected - 1, "b": number},
                        )
                    elif expected is None and number != 1:
                        self.warn(
                            line.number,
                            _("The first operative paragraph is numbered %(n)d.") % {"n": number},
                        )
                    current_top = _Node(str(number), line.number)
                    if rest:
                        current_top.parts.append((line.number, rest))
                    nodes.append(current_top)
                    seen[current_top.label] = line.number
                    current = current_top
                    continue
            if current_top is not None:
                sub = self.match_sub_label(text, current_top)
                if sub is not None:
                    node, rest = sub
                    if node.label in seen:
                        raise ImportFailed(
                            _(
                                "Sub-paragraph %(label)s appears twice (first at line %(first)d);"
                                " check the lettering."
                            )
                            % {"label": node.label, "first": seen[node.label]},
                            line=line.number,
                        )
                    node.line = line.number
                    if rest:
                        node.parts.append((line.number, rest))
                    seen[node.label] = line.number
                    current = node
                    continue
                if line.after_page_break:
                    self.warn(
                        line.number,
                        _(
                            "¶%(label)s continues here across a page break (a page header or "
                            "footer was left out); check that the join is right."
                        )
                        % {"label": current.label},
                    )
                current.parts.append((line.number, text))
            else:
                preface.append(line)
        if not nodes:
            if not preface:
                raise ImportFailed(
                    _("The operative part has no paragraph after this line."), line=trigger_line
                )
            # One unnumbered operative paragraph ("RESOLVES: To adopt …").
            node = _Node("1", preface[0].number, [(ln.number, ln.text) for ln in preface])
            self.warn(
                preface[0].number,
                _("The operative part is not numbered; it was read as one paragraph labelled 1."),
            )
            return [node]
        if preface:
            self.warn(
                preface[0].number,
                _("Text before the first numbered paragraph was left out: “%(text)s”.")
                % {"text": _clean(" ".join(ln.text for ln in preface))[:80]},
            )
        for node in _walk(nodes):
            if not node.text():
                raise ImportFailed(
                    _("Paragraph %(label)s has no text.") % {"label": node.label}, line=node.line
                )
        last = list(_walk(nodes))[-1]
        ending = re.sub(r"(?:\s*\[\^?\d{1,3}\]|\s*\d{1,2})+\s*$", "", last.text().rstrip())
        if ending[-1:] in {",", ":"} or ending[-1:].isalpha():
            # A copy cut short (a page that was not copied whole): say so, never pad it.
            self.warn(
                last.line,
                _(
                    "The last paragraph (¶%(label)s) ends in mid-sentence (“…%(end)s”): the "
                    "text may be cut short. Check it against the original."
                )
                % {"label": last.label, "end": ending[-30:].lstrip()},
            )
        return nodes

    def infer_label(self, text: str, top: _Node, current: _Node, line: int) -> str | None:
        """A block with no label where one is due, as PDF extraction leaves it when it drops
        a paragraph number: after a paragraph ending in ":" (its first sub-paragraph) or ";"
        (the next one), a new block starting with a capital. Returns the line with the
        label it must have had, and warns; None when the block continues the paragraph."""
        if not text[:1].isupper() or _TOP_LABEL.match(text) or _SUB_LABEL.match(text):
            return None
        previous = current.parts[-1][1] if current.parts else ""
        # Footnote markers after the punctuation: "experts;9", "States;[^4]".
        end = re.sub(r"(?:\s*\[\^?\d{1,3}\]|\s*\d{1,2})+\s*$", "", previous.rstrip())[-1:]
        letters = [child for child in top.children if child.kind == "letter"]
        style = letters[-1].style if letters else "(x)"
        label = None
        if end == ":" and current is top and not top.children:
            label = "a"
        elif end == ":" and current.kind == "letter" and not current.children:
            label, style = "i", current.style
        elif end == ";" and current is not top and letters:
            label = _next_letter(letters[-1].label.rsplit(".", 1)[-1])
        elif end in {";", "."} and current is top and _OPERATIVE_START.match(text):
            number = int(top.label) + 1
            self.warn(
                line,
                _(
                    "A paragraph without a number follows ¶%(label)s; it was read as ¶%(new)d "
                    "(a number lost when the text was extracted?). Check it."
                )
                % {"label": top.label, "new": number},
            )
            return f"{number}. {text}"
        if label is None:
            return None
        shown = {"(x)": f"({label})", "x)": f"{label})", "x.": f"{label}."}[style]
        self.warn(
            line,
            _(
                "A sub-paragraph without its letter follows ¶%(label)s; it was read as "
                "%(shown)s (a letter lost when the text was extracted?). Check it."
            )
            % {"label": current.label, "shown": shown},
        )
        return f"{shown} {text}"

    def match_sub_label(self, text: str, top: _Node):
        """A sub-paragraph (``a.``, ``(a)``, ``a)``, ``i.``) that continues the lettering in
        progress, or None: a line only starts a sub-paragraph when its letter is the next one
        (or repeats one, which the caller refuses as a duplicate)."""
        match = _SUB_LABEL.match(text)
        if not match:
            return None
        token = match.group("a") or match.group("b") or match.group("c")
        style = "(x)" if match.group("a") else ("x)" if match.group("b") else "x.")
        rest = match.group("rest") or ""
        roman_value = from_roman(token)
        if len(token) > 1 and roman_value is None:
            return None
        letters = [child for child in top.children if child.kind == "letter"]
        last_letter = letters[-1] if letters and top.children[-1] is letters[-1] else None
        # Roman numerals live under the current letter, or directly under the paragraph.
        roman_host = last_letter if last_letter is not None else top
        romans = [child for child in roman_host.children if child.kind == "roman"]
        next_letter = _next_letter(last_letter.label.rsplit(".", 1)[-1]) if last_letter else None
        candidates = []
        if len(token) == 1 and (
            (not top.children and token.lower() == "a")
            or (next_letter is not None and token == _match_case(next_letter, token))
        ):
            if last_letter is None or last_letter.style == style:
                candidates.append("letter")
        if roman_value == len(romans) + 1 and (token.islower() or len(token) > 1):
            if not romans or romans[-1].style == style:
                candidates.append("roman")
        if not candidates:
            label = f"{top.label}.{token}"
            repeated = any(child.label == label for child in letters)
            if repeated and (rest[:1].isupper() or not rest) and letters[-1].style == style:
                return _Node(label, 0, kind="letter", style=style), rest
            return None
        # "i" after "h" is a letter; "i" under "c" is the first roman numeral.
        kind = candidates[0]
        if len(candidates) == 2:
            kind = "letter" if next_letter == token.lower() else "roman"
        host = top if kind == "letter" else roman_host
        node = _Node(f"{host.label}.{token}", 0, kind=kind, style=style)
        host.children.append(node)
        return node, rest

    # -- meaning ------------------------------------------------------------------------------


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


_SUB_LABEL = re.compile(
    r"^(?:\(\s*(?P<a>[a-zA-Z]|[ivxlc]+|[IVXLC]+)\s*\)|(?P<b>[a-zA-Z]|[ivxlc]+|[IVXLC]+)\)"
    r"|(?P<c>[a-zA-Z]|[ivxlc]+|[IVXLC]+)\.)(?:\s+(?P<rest>.*))?$"
)


def _next_letter(letter: str) -> str | None:
    if len(letter) != 1 or letter.lower() == "z":
        return None
    return chr(ord(letter.lower()) + 1)


def _match_case(letter: str, like: str) -> str:
    return letter.upper() if like.isupper() else letter
