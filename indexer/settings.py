"""Settings with defaults and help texts, read from CLI options and the environment alike."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"  # shipped model, gazetteer, compound dictionary (each with its source)


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: object
    help: str


SETTINGS = (
    Setting("index", "NEWS_SEARCH_INDEX", "index", "Verzeichnis des Index (Standard: ./index)."),
    Setting("seeds", "NEWS_SEARCH_SEEDS", "seeds", "Dokumente, aus denen `search` beim ersten Aufruf den Index baut."),
    Setting("max_page_size", "NEWS_SEARCH_MAX_PAGE_SIZE", 100, "Höchstzahl Treffer pro Seite."),
    Setting("max_depth", "NEWS_SEARCH_MAX_DEPTH", 1000, "Tiefster abrufbarer Treffer (Seite x Seitengröße)."),
    Setting("export_max_rows", "NEWS_SEARCH_EXPORT_MAX_ROWS", 10_000,
            "Höchstzahl Zeilen eines Exports (CSV, JSON Lines); limit= und --rows dürfen nicht darüber."),
    Setting("feed_authority", "NEWS_SEARCH_FEED_AUTHORITY", "localhost",
            "Domain in den tag:-IDs der Atom-Feeds (stabil lassen, sonst sehen Feedreader alles neu)."),
    Setting("build_workers", "NEWS_SEARCH_BUILD_WORKERS", 0,
            "Prozesse eines Baus auf dieser Maschine (0: automatisch, bis zu 2; 1: ein Prozess schreibt alles)."),
    Setting("related_min_count", "NEWS_SEARCH_RELATED_MIN_COUNT", 3,
            "Gemeinsame Dokumente, ab denen ein Name auf einer Entitätsseite als verwandt gilt."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str):
    """The value of a setting: the environment variable if set, else the default."""
    spec = _BY_NAME[name]
    raw = os.environ.get(spec.env)
    if raw is None or raw == "":
        return spec.default
    return type(spec.default)(raw)


def index_dir(option: str | os.PathLike | None = None) -> Path:
    """``--index`` if given, else ``$NEWS_SEARCH_INDEX``, else ``./index``."""
    return Path(option) if option else Path(setting("index"))


def seeds_dir() -> Path:
    """``$NEWS_SEARCH_SEEDS``, else ``./seeds``, else the checkout's ``seeds/``."""
    configured = Path(setting("seeds"))
    if configured.exists() or os.environ.get("NEWS_SEARCH_SEEDS"):
        return configured
    return PROJECT_ROOT / "seeds"
