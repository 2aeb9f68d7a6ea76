"""The Article: one news document as the indexer sees it, with its id, hash and date rules.

Dates are parsed strictly by ``indexer.text.dates`` (ISO ``2024-10-28``, ``2024-10-28T09:30:00``,
German ``28.10.2024``); a document without a date has ``date=None``, never a made-up one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

#: common field names in news exports, mapped to the Article's fields
FIELD_ALIASES = {
    "id": ("id", "doc_id", "docid", "_id", "guid", "uuid"),
    "title": ("title", "headline", "titel", "ueberschrift", "überschrift"),
    "text": ("text", "body", "content", "article", "fulltext", "inhalt"),
    "teaser": ("teaser", "lead", "description", "summary", "abstract", "vorspann"),
    "date": ("date", "published", "published_at", "pubdate", "datetime", "datum", "created", "first_seen"),
    "url": ("url", "link", "href"),
    "source": ("source", "outlet", "publisher", "quelle", "site"),
    "speaker": ("speaker", "author", "authors", "autor", "autorin", "redner", "rednerin"),
    "party": ("party", "partei", "fraktion", "faction"),
}
#: metadata facets (indexer.facets.METADATA_FACETS): one short value each, whitespace collapsed
METADATA_FIELDS = ("source", "speaker", "party")
MAX_METADATA_CHARS = 200  # as long as a facet value in a URL may be

@dataclass
class Article:
    """A document ready for analysis: ``body`` excludes related-link blocks."""

    title: str
    body: str
    id: str = ""
    date: dt.date | None = None
    url: str = ""
    source: str = ""
    speaker: str = ""  # who spoke or wrote: "Annalena Baerbock"
    party: str = ""  # the speaker's party or parliamentary group: "BÜNDNIS 90/DIE GRÜNEN"
    meta: dict = field(default_factory=dict)
    path: str = ""
    line: int = 0

    def __post_init__(self):
        self.title = clean_text(self.title)
        self.body = clean_text(self.body)
        for name in METADATA_FIELDS:
            setattr(self, name, clean_value(getattr(self, name)))
        if not self.title:
            self.title = lead_sentence(self.body)
        #: hash of what is indexed: equal text means a duplicate, whatever the id
        self.content_hash = hashlib.sha1(f"{self.title}\n{self.body}".encode("utf-8")).hexdigest()
        if not self.id:
            self.id = "h" + self.content_hash[:16]

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def entity_text(self) -> str:
        """Text for entity recognition: the title when the body does not start with it."""
        if self.body.startswith(self.title):
            return self.body
        return f"{self.title}\n{self.body}"


def clean_text(text: str) -> str:
    """NFC, no control characters but newlines and tabs, trimmed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    return _CONTROL.sub("", text.replace("\r\n", "\n")).strip()


def clean_value(value: str) -> str:
    """A metadata value on one line, at most 200 characters; a placeholder without letters
    or digits is no value: ``" Annalena\\n Baerbock "`` -> ``"Annalena Baerbock"``, ``"—"`` -> ``""``."""
    value = " ".join(clean_text(value).split())[:MAX_METADATA_CHARS].strip()
    return value if any(c.isalnum() for c in value) else ""


#: control and format characters except tab and newline (NUL, escapes, zero-width, BOM, ...)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]")


def lead_sentence(body: str, limit: int = 160) -> str:
    """The first sentence of the body, without a dateline: ``Berlin. NATO ... Krieg.``"""
    first_line = body.split("\n", 1)[0].strip()
    first_line = re.sub(r"^[A-ZÄÖÜ][\w\-/ ]{1,30}\.\s+(?=[A-ZÄÖÜ„\"])", "", first_line, count=1)
    match = re.search(r"^(.+?[.!?])(?:\s|$)", first_line)
    sentence = match.group(1) if match and len(match.group(1)) >= 20 else first_line
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + " …"
    return sentence
