"""Citations: the resolutions a resolution's text names ("RECALLING its resolutions …").

Derived from the text (the preamble and the operative paragraphs) by the importer's reader
(mandates/importer/citations.py) and rewritten whole whenever the text is saved
(mandates/citations.py): never edited by hand.

The cited resolution is met by its symbol at read time, never by a stored id: ``cited`` is a
join on the normalised symbol (indexed on both sides), so a resolution imported after the
text that cites it, or renamed, is linked at once, and one cited but not in the tracker is
simply not found.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, F, Window
from django.utils.translation import gettext_lazy as _

from .resolutions import Resolution


class CitationQuerySet(models.QuerySet):
    def citing(self, symbol: str):
        """Citations of ``symbol``, the citing resolutions newest first, each in the order of
        its text. A plain indexed read: the page cuts it (see ``citations.cited_by``)."""
        return (
            self.filter(cited_symbol=symbol)
            .select_related("citing")
            .order_by(F("citing__adopted_on").desc(), F("citing_id").desc(), "order")
        )

    def citing_count(self, symbol: str) -> int:
        """How many resolutions cite ``symbol``."""
        return self.filter(cited_symbol=symbol).values("citing_id").distinct().count()

    def cites_page(self, resolution, limit: int):
        """What ``resolution`` cites, in the order of its text, with the cited resolution
        when it is in the tracker (``cited``, a join on the symbol), cut after ``limit``
        rows; each row carries ``cites_total`` (all its rows). One query."""
        return (
            self.filter(citing=resolution)
            .select_related("cited")
            .annotate(cites_total=Window(Count("pk")))
            .order_by("order")[:limit]
        )


class Citation(models.Model):
    """One resolution named in one place (preamble clause or operative paragraph) of a
    resolution's text."""

    class Part(models.TextChoices):
        PREAMBLE = "preamble", _("Preamble")
        OPERATIVE = "operative", _("Operative paragraphs")

    citing = models.ForeignKey(
        Resolution,
        verbose_name=_("citing resolution"),
        on_delete=models.CASCADE,
        related_name="citations",
    )
    cited_symbol = models.CharField(
        _("cited symbol"),
        max_length=100,
        db_index=True,
        help_text=_("As the tracker writes symbols, e.g. AG/RES. 2224 (XXXVI-O/06)."),
    )
    # The cited resolution when it is in the tracker: a join on the symbol, no column of its
    # own and no constraint (the cited text may never be imported).
    cited = models.ForeignObject(
        Resolution,
        on_delete=models.DO_NOTHING,
        from_fields=["cited_symbol"],
        to_fields=["symbol"],
        related_name="citations_received",
        null=True,
        editable=False,
    )
    part = models.CharField(_("part"), max_length=10, choices=Part.choices)
    clause = models.PositiveSmallIntegerField(
        _("preamble clause"),
        null=True,
        blank=True,
        help_text=_("Its number in the citing resolution's preamble."),
    )
    label = models.CharField(_("paragraph"), max_length=20, blank=True)
    snippet = models.TextField(_("text, verbatim"))
    # Reading order within the citing text.
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["citing", "order"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.UniqueConstraint(
                fields=["citing", "cited_symbol", "part", "clause", "label"],
                name="citation_once_per_place",
            )
        ]

    def __str__(self):
        return f"{self.cited_symbol}, {self.place}"

    @property
    def place(self) -> str:
        """ "preamble clause 8" or "¶5": where the citing text names it."""
        if self.part == self.Part.PREAMBLE:
            return _("preamble clause %(number)s") % {"number": self.clause}
        return f"¶{self.label}"
