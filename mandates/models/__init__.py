"""What resolutions order, to whom, by when, and what has been done about it.

The business rule that matters most, the status of a mandate as of a date, is written once in
`mandates.status` and read through `MandateQuerySet.with_status()` (in `resolutions`): every
page, PDF, feed and test calls it. Status is derived from the facts (deadlines, progress
records, completion); the stored timeline in `derived` is rewritten from them in the same
transaction as every write, never edited by hand.

The package is split along the flow: `organs` (the directory), `resolutions` (resolutions and
their paragraphs), `progress` (the facts), `derived` (tables computed from the facts),
`notifications`, `counts` (paragraphs by status, from the timeline) and the shared `base` and
`symbols`. Everything is importable from here.
"""

from .base import (  # noqa: F401
    MAX_DEPTH,
    ORIGINAL_TEXT_NOTES,
    READING_ORDER,
    FactsOfMandateQuerySet,
    NamedInLanguages,
    ParagraphKind,
    Status,
    TextIn,
    TracksLoaded,
    VersionedModel,
    _prefetched,
    collation_key,
    text_in,
    today,
)
from .citations import Citation, CitationQuerySet  # noqa: F401
from .compiled import Compiled  # noqa: F401 (and the `__any` lookup)
from .counts import ParagraphCounts, add_to_counts, empty_counts  # noqa: F401
from .derived import (  # noqa: F401
    DataVersion,
    ParagraphOrgan,
    ParagraphOrganQuerySet,
    StatusPeriod,
    StatusPeriodQuerySet,
)
from .notifications import (  # noqa: F401
    FocalPoint,
    ReminderLog,
    Subscription,
)
from .organs import (  # noqa: F401
    Organ,
    Organization,
    OrganizationQuerySet,
    OrganQuerySet,
    Session,
    SessionQuerySet,
)
from .paragraphs import MandateQuerySet, _in_subtree_exists, tracked_condition  # noqa: F401
from .progress import (  # noqa: F401
    Deadline,
    DeadlineQuerySet,
    Document,
    EvidenceProposal,
    Meeting,
    ProgressRecord,
    ProgressRecordQuerySet,
    document_upload_to,
)
from .resolutions import (  # noqa: F401
    LABEL,
    Mandate,
    Resolution,
    ResolutionQuerySet,
    Responsibility,
    ResponsibilityQuerySet,
)
from .symbols import (  # noqa: F401
    _ROMAN,
    _TEENS,
    _TENS,
    _TENS_ORD,
    _UNITS,
    from_roman,
    normalize_symbol,
    ordinal_words,
    symbol_slug,
    to_roman,
)
