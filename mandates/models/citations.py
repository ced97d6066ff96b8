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
from django.db.models.functions import DenseRank
from django.utils.translation import gettext_lazy as _

from .resolutions import Resolution


class CitationQuerySet(models.QuerySet):
    def cited_by_page(self, symbol: str, limit: int):
        """Citations of ``symbol``, the citing resolutions newest first, cut after ``limit``
        citing resolutions; each row is annotated with ``citing_total``, how many resolutions
        cite it in all. One query: the two dense ranks over the citing resolutions, one
        counted from each end, add up to their number plus one."""
        newest_first = [F("citing__adopted_on").desc(), F("citing_id").desc()]
        oldest_first = [F("citing__adopted_on").asc(), F("citing_id").asc()]
        return (
            self.filter(cited_symbol=symbol)
            .select_related("citing")
            .annotate(
                rank=Window(DenseRank(), order_by=newest_first),
                rank_back=Window(DenseRank(), order_by=oldest_first),
            )
            .annotate(citing_total=F("rank") + F("rank_back") - 1)
            .filter(rank__lte=limit)
            .order_by(*newest_first, "order")
        )

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
