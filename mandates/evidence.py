"""Evidence read from later resolutions: proposals, and their review.

An annual resolution records what became of the previous year's mandates in its preamble:
"HAVING EXAMINED the annual report of the Permanent Council … (CP/CAJP-1487/99), presented
pursuant to resolution AG/RES. 1548 (XXVIII-O/98)"; "NOTING the special meeting of the CAJP …
held on March 16, 2006". ``propose_from(resolution)`` turns such clauses into
``EvidenceProposal`` rows on the earlier resolution's matching paragraph. Nothing proposed
counts for status: ``confirm()`` makes an ordinary ProgressRecord of it, in one transaction.

What is not certain is left open and said: a paragraph is chosen only when exactly one asks
for that kind of thing from that organ; else the resolution's reporting paragraph, with the
reason; else none, with the reason. A symbol printed without its number ("AG/doc. /07") is not
taken as a document symbol.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .importer.citations import cited_symbols
from .importer.dates import _FULL_DATE, _date_from_match
from .models import (
    EvidenceProposal,
    Mandate,
    Organ,
    ProgressRecord,
    Resolution,
    Responsibility,
    normalize_symbol,
)

# The verbs that say the Assembly received something done (not "RECALLING", "CONSIDERING").
_EVIDENCE_VERB = re.compile(
    r"^(?P<verb>HAVING\s+(?:EXAMINED|SEEN|HEARD|RECEIVED|CONSIDERED)|NOTING|TAKING\s+NOTE"
    r"|HABIENDO\s+(?:EXAMINADO|VISTO|RECIBIDO|CONSIDERADO)|VISTOS?|TOMANDO\s+NOTA|OÍDOS?"
    r"|TENDO\s+(?:EXAMINADO|VISTO|OUVIDO|RECEBIDO|CONSIDERADO)|OBSERVANDO"
    r"|AYANT\s+(?:EXAMINÉ|VU|ENTENDU|REÇU)|PRENANT\s+NOTE|NOTANT)(?![\wÀ-ÿ])"
    r"(?P<rest>.*)$",
    re.DOTALL,
)
# Any other clause verb in capitals ends the list that "HAVING SEEN:" opened.
_OTHER_VERB = re.compile(r"^[A-ZÁÉÍÓÚÑ]{3,}(?:\s+[A-ZÁÉÍÓÚÑ]{2,})*\b(?![a-z])")
_ENACTING = re.compile(
    r"^(?:THE\s+(?:GENERAL\s+ASSEMBLY|PERMANENT\s+COUNCIL)|LA\s+ASAMBLEA\s+GENERAL"
    r"|EL\s+CONSEJO\s+PERMANENTE|A\s+ASSEMBL[ÉE]IA\s+GERAL|O\s+CONSELHO\s+PERMANENTE"
    r"|L['’]ASSEMBL[ÉE]E\s+G[ÉE]N[ÉE]RALE|LE\s+CONSEIL\s+PERMANENT)\b",
    re.IGNORECASE,
)
# "presented pursuant to resolution AG/RES. 1548": the clause names what it answers.
_ANSWERS = re.compile(
    r"(?:pursuant\s+to|in\s+accordance\s+with|in\s+compliance\s+with|as\s+requested\s+in"
    r"|de\s+conformidad\s+con|en\s+cumplimiento\s+de|conforme\s+a"
    r"|em\s+cumprimento\s+d[ae]|de\s+conformidade\s+com|conformément\s+à"
    r"|en\s+application\s+de)"
    r"\s+(?:(?:its|the|la|su|a|sua)\s+)?"
    r"(?:resolutions?|resoluci[oó]n(?:es)?|resolu[çc][ãa]o|résolution)\s+"
    r"(?P<symbol>AG/RES\.\s*\d+\s*\([IVXLC]+-[OE]/\d{2}\))",
    re.IGNORECASE,
)
# A document symbol in parentheses: "CP/CAJP-1487/99", "AG/doc.4156/03 add. 3",
# "CP/CAJP/SA.369/02 and CP/CAJP/SA.375/02", "OEA/Ser.L/V/II.102/doc.6 rev.".
_PARENTHESES = re.compile(r"\(([^()]{4,120})\)")
_DOCUMENT = re.compile(r"^(?:AG|CP|CJI|CIDH|IACHR|OEA|CIM|CIDI)/\S")
_BLANK_NUMBER = re.compile(r"/\s*/|\.\s+/")  # "AG/doc. /07": the number was never filled in
# "NOTING …" says something was delivered only with a document or the day it was held.
_NOTES_ONLY = re.compile(r"^(?:NOTING|TAKING NOTE|TOMANDO NOTA|OBSERVANDO|PRENANT NOTE|NOTANT)$")
_HELD_ON = re.compile(r"\b(?:held|celebrad[ao]s?|realizad[ao]s?|tenue?s?)\b", re.IGNORECASE)

_MEETING_WORDS = re.compile(
    r"\b(?:meeting|session|dialogue|reuni[oó]n|sesi[oó]n|di[aá]logo|reuni[ãa]o|sess[ãa]o|"
    r"réunion|séance)\b",
    re.IGNORECASE,
)
_REPORT_WORDS = re.compile(r"\b(?:report|informe|relat[óo]rio|rapport)s?\b", re.IGNORECASE)
_DOCUMENT_WORDS = re.compile(r"\b(?:document|program|documento|programa)\b", re.IGNORECASE)
_ASK_MEETING = re.compile(
    r"\b(?:convene|hold|meeting|session|convocar|celebrar|reuni[oó]n|sesi[oó]n)\b", re.IGNORECASE
)
_ASK_REPORT = re.compile(r"\b(?:report|informe|informar)\w*", re.IGNORECASE)
_ASK_DOCUMENT = re.compile(r"\b(?:prepare|draft|elaborar|preparar)\b", re.IGNORECASE)


@dataclass
class Clause:
    number: int  # 1-based, among the preamble's clauses
    text: str  # verbatim, with the verb of a "HAVING SEEN:" list before it
    lead: str  # the verb: "HAVING SEEN", "NOTING", …


def preamble_clauses(preamble: str) -> list[str]:
    """The preamble's clauses as the importer stored them (blocks between blank lines),
    without the enacting formula ("THE GENERAL ASSEMBLY,")."""
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n|\n", preamble or "")]
    return [block for block in blocks if block and not _ENACTING.match(block)]


def preamble_blocks(preamble: str) -> list[tuple[int | None, str]]:
    """The preamble for display: (clause number, text); the enacting formula has none. The
    numbers are those of ``preamble_clauses`` (and of evidence citations)."""
    blocks = [" ".join(block.split()) for block in re.split(r"\n\s*\n|\n", preamble or "")]
    shown: list[tuple[int | None, str]] = []
    number = 0
    for block in filter(None, blocks):
        if _ENACTING.match(block):
            shown.append((None, block))
        else:
            number += 1
            shown.append((number, block))
    return shown


def evidence_clauses(preamble: str) -> list[Clause]:
    """Clauses that say something was received or noted; the items of "HAVING SEEN:" count
    one by one, each with its verb."""
    found: list[Clause] = []
    open_verb = ""
    for number, text in enumerate(preamble_clauses(preamble), start=1):
        match = _EVIDENCE_VERB.match(text)
        if match:
            rest = match.group("rest").strip()
            if rest in {":", ""}:
                open_verb = " ".join(match.group("verb").split())
                continue
            open_verb = ""
            found.append(Clause(number, text, " ".join(match.group("verb").split())))
        elif _OTHER_VERB.match(text):
            open_verb = ""
        elif open_verb:
            found.append(Clause(number, text, open_verb))
    return found


def document_symbols(text: str) -> tuple[list[str], list[str]]:
    """(symbols, incomplete symbols) found in parentheses in the clause, verbatim."""
    symbols: list[str] = []
    incomplete: list[str] = []
    for group in _PARENTHESES.findall(text):
        for part in re.split(r"\s+(?:and|y)\s+|;\s*|,\s+(?=[A-Z]{2,}/)", group):
            part = part.strip()
            if not _DOCUMENT.match(part) or part.startswith(("AG/RES", "CP/RES")):
                continue
            if not re.search(r"\d", part.split("/", 1)[1]):
                continue
            (incomplete if _BLANK_NUMBER.search(part) else symbols).append(part)
    return symbols, incomplete


def kind_of(text: str) -> str:
    """Meeting, report or document: the first of these words the clause uses."""
    positions = [
        (m.start(), kind)
        for pattern, kind in (
            (_MEETING_WORDS, ProgressRecord.Kind.MEETING),
            (_REPORT_WORDS, ProgressRecord.Kind.REPORT),
            (_DOCUMENT_WORDS, ProgressRecord.Kind.DOCUMENT),
        )
        if (m := pattern.search(text))
    ]
    return min(positions)[1] if positions else ProgressRecord.Kind.DOCUMENT


def date_in(text: str) -> datetime.date | None:
    """ "held on March 16, 2006" / "celebrada el 16 de marzo de 2006": the date of the thing
    itself; a date elsewhere in the clause (a summit's) is not taken."""
    held = _HELD_ON.search(text)
    if not held:
        return None
    match = _FULL_DATE.search(text, held.end())
    if not match or match.start() - held.end() > 12:
        return None
    return _date_from_match(match)


def _title(clause: Clause, kind: str) -> str:
    """The clause without its verb, cut at the first parenthesis or "presented", as a title."""
    text = clause.text
    match = _EVIDENCE_VERB.match(text)
    if match:
        text = match.group("rest")
    text = re.sub(r"^\s*(?:of|the|de|la|el|:)\s+", "", text.strip(), flags=re.IGNORECASE)
    text = re.split(r"\s*\(|,\s*(?:presented|presentado|held|celebrad)", text, maxsplit=1)[0]
    text = text.strip(" ;,.")
    text = text[:1].upper() + text[1:]
    return text[:290] or dict(ProgressRecord.Kind.choices)[kind]


def _organs_named(text: str, organs: list[Organ]) -> set[int]:
    ids = set()
    for organ in organs:
        names = [organ.name, *(a.strip() for a in organ.aliases.splitlines() if a.strip())]
        if any(re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE) for name in names):
            ids.add(organ.pk)
        elif len(organ.acronym) >= 3 and re.search(rf"\b{re.escape(organ.acronym)}\b", text):
            ids.add(organ.pk)
    return ids


def previous_in_series(resolution: Resolution) -> Resolution | None:
    """The resolution of the same series adopted at the regular session just before."""
    if not resolution.series or resolution.session is None:
        return None
    return (
        Resolution.objects.filter(
            series=resolution.series,
            session__organization=resolution.session.organization,
            session__kind=resolution.session.kind,
            session__ordinal=resolution.session.ordinal - 1,
        )
        .exclude(pk=resolution.pk)
        .first()
    )


def _reporting_paragraph(mandates: list[Mandate]) -> Mandate | None:
    """The paragraph asking for a report on "the implementation of this resolution"."""
    found = [
        m
        for m in mandates
        if re.search(r"implementation of (?:this|the present) resolution", m.text, re.IGNORECASE)
        or re.search(r"cumplimiento de (?:la presente|esta) resoluci", m.text, re.IGNORECASE)
    ]
    return found[0] if len(found) == 1 else None


def match_mandate(target: Resolution, kind: str, text: str) -> tuple[Mandate | None, str]:
    """The paragraph of ``target`` that asked for this, and why (or why none)."""
    mandates = list(target.mandates.order_by("order").prefetch_related("responsibilities__organ"))
    if not mandates:
        if target.partial_text:
            return None, _(
                "Only part of the text of %(symbol)s is in the tracker (its operative "
                "paragraphs are not): no paragraph can be chosen."
            ) % {"symbol": target.symbol}
        return None, _("%(symbol)s has no paragraph in the tracker.") % {"symbol": target.symbol}
    organs = list({r.organ for m in mandates for r in m.responsibilities.all()})
    named = _organs_named(text, organs)
    asks = {
        ProgressRecord.Kind.MEETING: _ASK_MEETING,
        ProgressRecord.Kind.REPORT: _ASK_REPORT,
        ProgressRecord.Kind.DOCUMENT: _ASK_DOCUMENT,
    }[kind]
    candidates = [
        m
        for m in mandates
        if asks.search(m.text)
        and named
        & {r.organ_id for r in m.responsibilities.all() if r.role != Responsibility.Role.RECIPIENT}
    ]
    kind_label = dict(ProgressRecord.Kind.choices)[kind].lower()
    if len(candidates) == 1:
        return candidates[0], _(
            "¶%(label)s is the one paragraph that asks for this (%(kind)s) from an organ the "
            "clause names."
        ) % {"label": candidates[0].label, "kind": kind_label}
    reporting = _reporting_paragraph(mandates)
    if reporting is not None:
        labels = ", ".join(f"¶{m.label}" for m in candidates)
        could = _("%(n)d paragraphs could match (%(labels)s)")
        why = (
            could % {"n": len(candidates), "labels": labels}
            if candidates
            else _("no paragraph asks for this from an organ the clause names")
        )
        return reporting, _("%(why)s: attached to the reporting paragraph ¶%(label)s.") % {
            "why": why,
            "label": reporting.label,
        }
    return None, _(
        "No paragraph of %(symbol)s matches with confidence; choose one before confirming."
    ) % {"symbol": target.symbol}


@transaction.atomic
def propose_from(citing: Resolution) -> list[EvidenceProposal]:
    """Read ``citing``'s preamble and store what it says was done for earlier resolutions.

    Idempotent: a clause already proposed (under any state) is left as it is."""
    created: list[EvidenceProposal] = []
    for clause in evidence_clauses(citing.preamble):
        answers = _ANSWERS.search(clause.text)
        target = None
        if answers:
            symbol = normalize_symbol(answers.group("symbol"))
            target = Resolution.objects.filter(symbol=symbol).first()
            if target is None:
                continue  # the resolution it answers is not in the tracker
        else:
            # The importer's reader of cited resolutions (the same as the page's "Cites").
            if cited_symbols(clause.text, citing.symbol):
                continue  # it names other resolutions, without saying it answers them
            target = previous_in_series(citing)
            if target is None:
                continue
        if target.adopted_on >= citing.adopted_on:
            continue
        kind = kind_of(clause.text)
        symbols, incomplete = document_symbols(clause.text)
        dated = date_in(clause.text)
        if _NOTES_ONLY.match(clause.lead) and not (symbols or dated or answers):
            # "TAKING NOTE of the regional initiatives …": noted, not something delivered.
            continue
        mandate, why = match_mandate(target, kind, clause.text)
        reasons = _reasons(target, clause.text, why)
        for symbol in symbols or [""]:
            proposal, made = EvidenceProposal.objects.get_or_create(
                citing_resolution=citing,
                clause=clause.number,
                document_symbol=symbol[:100],
                kind=kind,
                defaults={
                    "quote": clause.text,
                    "target_resolution": target,
                    "mandate": mandate,
                    "reason": reasons,
                    "title": _title(clause, kind),
                    "date": dated or citing.adopted_on,
                    "date_precision": (
                        ProgressRecord.Precision.DAY if dated else ProgressRecord.Precision.BY
                    ),
                    "date_source": (
                        EvidenceProposal.DateSource.TEXT
                        if dated
                        else EvidenceProposal.DateSource.ADOPTION
                    ),
                },
            )
            if made:
                created.append(proposal)
    return created


def _reasons(target: Resolution, text: str, why: str) -> str:
    """Why this resolution (when the clause does not name it), why this paragraph (or none),
    and a symbol printed without its number."""
    reasons = []
    if not _ANSWERS.search(text):
        reasons.append(
            _(
                "The clause names no resolution: %(symbol)s, the previous year's resolution "
                "of the series, is proposed."
            )
            % {"symbol": target.symbol}
        )
    reasons.append(why)
    _symbols, incomplete = document_symbols(text)
    if incomplete:
        reasons.append(
            _("The text prints the symbol without its number (%(symbols)s).")
            % {"symbols": ", ".join(incomplete)}
        )
    return " ".join(r for r in reasons if r)


@transaction.atomic
def rematch(target: Resolution) -> int:
    """Choose again the paragraph of the proposals for ``target`` still waiting without one:
    after its full text is imported (``--replace``) or a paragraph they pointed at was
    rewritten. Returns how many are now attached."""
    attached = 0
    waiting = EvidenceProposal.objects.filter(
        target_resolution=target, state=EvidenceProposal.State.PROPOSED, mandate__isnull=True
    )
    for proposal in waiting:
        mandate, why = match_mandate(target, proposal.kind, proposal.quote)
        proposal.mandate = mandate
        proposal.reason = _reasons(target, proposal.quote, why)
        proposal.save(update_fields=["mandate", "reason"])
        attached += mandate is not None
    return attached


class ReviewError(ValueError):
    """The proposal cannot be confirmed as it stands; the message says what to do."""


def _deadline_for(mandate: Mandate, proposal: EvidenceProposal):
    """The deadline the record meets: the open one anchored to the session that received it
    (the citing resolution's), else the earliest open one falling due on or after its date,
    else the earliest open one (met late)."""
    open_deadlines = [
        d for d in mandate.deadlines.order_by("due", "order") if d.first_fulfilled_on is None
    ]
    session_id = proposal.citing_resolution.session_id
    for choose in (
        lambda d: session_id is not None and d.session_id == session_id,
        lambda d: d.due is not None and d.due >= proposal.date,
        lambda d: True,
    ):
        found = [d for d in open_deadlines if choose(d)]
        if found:
            return found[0]
    return None


@transaction.atomic
def confirm(proposal: EvidenceProposal, user=None) -> ProgressRecord:
    """Make the proposal a progress record on its mandate; refused when no mandate is chosen
    or it was reviewed already. Status follows through the record's own signals."""
    proposal = EvidenceProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != EvidenceProposal.State.PROPOSED:
        raise ReviewError(
            _("%(proposal)s was already reviewed (%(state)s).")
            % {"proposal": proposal, "state": proposal.get_state_display()}
        )
    if proposal.mandate_id is None:
        raise ReviewError(
            _("%(proposal)s is attached to no paragraph: choose the paragraph first.")
            % {"proposal": proposal}
        )
    mandate = proposal.mandate
    if proposal.date < mandate.resolution.adopted_on:
        raise ReviewError(
            _("%(proposal)s is dated before %(symbol)s was adopted.")
            % {"proposal": proposal, "symbol": mandate.resolution.symbol}
        )
    record = ProgressRecord.objects.create(
        mandate=mandate,
        date=proposal.date,
        date_precision=proposal.date_precision,
        kind=proposal.kind,
        title=proposal.title,
        summary=_("Recorded by %(citation)s: “%(quote)s”")
        % {"citation": proposal.citation, "quote": proposal.quote},
        document_symbol=proposal.document_symbol,
        created_by=user,
    )
    deadline = _deadline_for(mandate, proposal)
    if deadline is not None:
        record.fulfils.add(deadline)
    elif not mandate.deadlines.exists() and proposal.kind != ProgressRecord.Kind.DOCUMENT:
        # A paragraph with no deadline that asked for this report or meeting: done.
        record.completes_mandate = True
        record.save(update_fields=["completes_mandate"])
    proposal.state = EvidenceProposal.State.CONFIRMED
    proposal.progress_record = record
    proposal.reviewed_by = user
    proposal.reviewed_at = timezone.now()
    proposal.save()
    return record


@transaction.atomic
def reject(proposal: EvidenceProposal, user=None) -> None:
    proposal = EvidenceProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != EvidenceProposal.State.PROPOSED:
        raise ReviewError(
            _("%(proposal)s was already reviewed (%(state)s).")
            % {"proposal": proposal, "state": proposal.get_state_display()}
        )
    proposal.state = EvidenceProposal.State.REJECTED
    proposal.reviewed_by = user
    proposal.reviewed_at = timezone.now()
    proposal.save()
