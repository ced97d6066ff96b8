"""Official translations of a resolution: its title and paragraph texts in another language.

`import_resolution FILE --translation-of SYMBOL [--language es]` reads the translated text with
the same importer as an original (mandates/importer), then aligns it with the stored resolution
paragraph by paragraph, by label: the translation must have exactly the resolution's labels,
else it is refused with the labels that differ, and nothing is written. Organs, deadlines and
progress stay the original's: a translation only gives texts to show to readers of its language
(`Resolution.local_title`, `Mandate.local_text`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from .importer import ImportFailed, parse_text
from .importer.saving import walk
from .models import Deadline, Mandate, Resolution, normalize_symbol
from .status import mark_touched


class TranslationRefused(Exception):
    """The translation cannot be stored; the message says why. Nothing was written."""


@dataclass
class TranslationResult:
    resolution: Resolution
    language: str
    paragraphs: int
    title: str
    warnings: list[str] = field(default_factory=list)
    replaced: bool = False  # the resolution already had a translation into this language


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def import_translation(
    text: str, symbol: str, language: str | None = None, *, dry_run: bool = False
) -> TranslationResult:
    """Store `text` as the `language` translation of the resolution `symbol` (language detected
    from the text when not given). Raises TranslationRefused with a clear message."""
    resolution = Resolution.objects.filter(symbol=normalize_symbol(symbol)).first()
    if resolution is None:
        raise TranslationRefused(
            _("There is no resolution %(symbol)s to translate; import the original first.")
            % {"symbol": symbol}
        )
    organization = resolution.organization.code if resolution.organization else None
    try:
        # No symbol given: the text's own symbol, if it has one, must be the resolution's.
        parsed = parse_text(text, organization=organization)
    except ImportFailed as exc:
        raise TranslationRefused(str(exc)) from exc
    language = language or parsed.language
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise TranslationRefused(
            _("“%(language)s” is not one of the languages: %(codes)s.")
            % {"language": language, "codes": ", ".join(codes)}
        )
    if language == resolution.language:
        raise TranslationRefused(
            _(
                "%(symbol)s is already in %(language)s, its original language: a translation "
                "must be in another language (give it with --language)."
            )
            % {"symbol": resolution.symbol, "language": language_name(language)}
        )
    if parsed["symbol"] and normalize_symbol(parsed["symbol"]) != resolution.symbol:
        raise TranslationRefused(
            _("This text is %(found)s, not %(symbol)s.")
            % {"found": parsed["symbol"], "symbol": resolution.symbol}
        )
    items = {item["label"]: item for item in walk(parsed["paragraphs"])}
    texts = {label: item["text"] for label, item in items.items()}
    mandates = list(resolution.mandates.prefetch_related("deadlines__session"))
    stored = {mandate.label for mandate in mandates}
    missing = sorted(stored - set(texts), key=label_order)
    extra = sorted(set(texts) - stored, key=label_order)
    if missing or extra:
        problems = []
        if missing:
            problems.append(
                _("not in the translation: %(labels)s") % {"labels": ", ".join(missing)}
            )
        if extra:
            problems.append(
                _("not in %(symbol)s: %(labels)s")
                % {"symbol": resolution.symbol, "labels": ", ".join(extra)}
            )
        raise TranslationRefused(
            _(
                "The paragraphs of the translation do not match those of %(symbol)s "
                "(%(problems)s); nothing was saved."
            )
            % {"symbol": resolution.symbol, "problems": "; ".join(problems)}
        )
    result = TranslationResult(
        resolution=resolution,
        language=language,
        paragraphs=len(mandates),
        title=parsed["title"] or "",
        warnings=[str(w) for w in parsed.warnings],
        replaced=language in resolution.title_translations
        or any(language in m.text_translations for m in mandates),
    )
    deadlines = translated_wordings(mandates, items, language, result.warnings)
    if dry_run:
        return result
    with transaction.atomic():
        if result.title:
            resolution.title_translations = {
                **resolution.title_translations,
                language: result.title,
            }
            resolution.save(update_fields=["title_translations"])
        for mandate in mandates:
            mandate.text_translations = {
                **mandate.text_translations,
                language: texts[mandate.label],
            }
        # In the history like any edit; no status changes (texts only).
        bulk_update_with_history(mandates, Mandate, ["text_translations"], batch_size=500)
        bulk_update_with_history(deadlines, Deadline, ["wording_translations"], batch_size=500)
        # Texts changed without a model save: the cached pages must go all the same.
        mark_touched()
    return result


def translated_wordings(mandates, items: dict, language: str, warnings: list) -> list[Deadline]:
    """The stored deadlines with the translation's wording added, paired in order within each
    paragraph. A paragraph whose deadlines the translation reads differently (another number
    of them, another date or session) keeps the original wording, with a warning."""
    changed = []
    for mandate in mandates:
        stored = list(mandate.deadlines.all())
        found = items[mandate.label].get("deadlines", [])
        if not stored and not found:
            continue
        pairs = list(zip(stored, found, strict=False))
        same = len(stored) == len(found) and all(agrees(deadline, item) for deadline, item in pairs)
        if not same:
            warnings.append(
                _(
                    "¶%(label)s: the deadlines read in the translation do not match the "
                    "resolution's (%(found)d for %(stored)d); their wording stays as written."
                )
                % {"label": mandate.label, "found": len(found), "stored": len(stored)}
            )
            continue
        for deadline, item in pairs:
            deadline.wording_translations = {
                **deadline.wording_translations,
                language: item["wording"],
            }
            changed.append(deadline)
    return changed


def agrees(deadline: Deadline, item: dict) -> bool:
    """The same deadline, as far as both say: the same date, or the same session."""
    if item.get("due_on") and deadline.due_on:
        return item["due_on"] == deadline.due_on.isoformat()
    if item.get("session") and deadline.session_id:
        return item["session"] == deadline.session.ordinal
    return True


def label_order(label: str) -> tuple:
    """ "2" before "10", "20.a" after "20"."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in label.split(".")
    )
