"""Layered fixtures: documents -> index -> service (the web tests add app -> client)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

import indexer.index.writer
from indexer.index.writer import BuildOptions, build, entities_available
from indexer.search.service import SearchService

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
SEEDS = TESTS.parent / "seeds"
SEED_ARTICLE = SEEDS / "000_923481393c34947e.txt"
SHARED_DATA = Path(os.environ.get("NEWS_SEARCH_SHARED", TESTS.parent.parent / "shared")) / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: the one way tests reach the shared corpora; skips when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA} (set NEWS_SEARCH_SHARED); CI always has it")
    return SHARED_DATA


def tracked_state() -> dict[str, str] | None:
    """``git status --porcelain`` of the tracked files, each changed file with its content hash
    (so that rewriting an already modified file counts too); None outside a git checkout."""
    try:
        done = subprocess.run(["git", "-C", str(TESTS.parent), "status", "--porcelain", "--untracked-files=no"],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    state = {}
    for line in done.stdout.splitlines():
        path = TESTS.parent / line[3:].split(" -> ")[-1].strip('"')
        state[line] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    return state


@pytest.fixture(scope="session", autouse=True)
def tracked_files_unchanged():
    """A test run leaves the tracked files of the checkout as it found them (CI stays clean):
    outputs go to tmp_path, benchmarks/out/ or other ignored places."""
    before = tracked_state()
    yield
    after = tracked_state()
    if before is not None and after is not None and after != before:
        changed = sorted(set(after.items()) ^ set(before.items()))
        pytest.fail(f"the test run changed tracked files: {changed}", pytrace=False)


@pytest.fixture(scope="session")
def plain_nlp():
    """The shipped NER pipeline as plain ``spacy.load`` gives it, without the product's
    caches (``fastvectors``, ``fasttokens``): what their tests compare against. Not mutated."""
    import spacy

    from indexer.entities.ner import lexicon  # noqa: F401  (registers the model's component)
    from indexer.entities.ner.evaluate import MODEL_DIR

    return spacy.load(MODEL_DIR)


@pytest.fixture(scope="session")
def documents_dir(tmp_path_factory) -> Path:
    """The literal test articles plus the seed article, in one directory."""
    path = tmp_path_factory.mktemp("documents")
    (path / "articles.jsonl").write_bytes((FIXTURES / "articles.jsonl").read_bytes())
    (path / SEED_ARTICLE.name).write_bytes(SEED_ARTICLE.read_bytes())
    return path


def built_index(tmp_path_factory, name: str, documents: Path, entities: bool) -> Path:
    """A fresh index of ``documents`` in a temporary directory; every record must be indexed."""
    path = tmp_path_factory.mktemp(name)
    report = build([documents], path, BuildOptions(entities=entities))
    assert report.skipped == 0, report.problems
    return path


def open_service(index: Path):
    """A service over ``index`` for a fixture to yield, closed when the fixture ends."""
    with SearchService(index) as svc:
        yield svc


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory, documents_dir) -> Path:
    """A built index (with entities when the shipped model is there) of ``documents_dir``."""
    return built_index(tmp_path_factory, "index", documents_dir, entities_available())


@pytest.fixture(scope="session")
def service(index_dir) -> SearchService:
    yield from open_service(index_dir)


@pytest.fixture(scope="session")
def field_documents_dir(tmp_path_factory) -> Path:
    """Five literal articles with distinct persons, countries, organisations and mentioned dates."""
    path = tmp_path_factory.mktemp("field-documents")
    (path / "query_fields.jsonl").write_bytes((FIXTURES / "query_fields.jsonl").read_bytes())
    return path


@pytest.fixture(scope="session")
def field_index_dir(tmp_path_factory, field_documents_dir) -> Path:
    """``field_documents_dir`` indexed with the shipped NER model (skips without it)."""
    if not entities_available():
        pytest.skip("NER model not shipped in indexer/data/ner_model")
    return built_index(tmp_path_factory, "field-index", field_documents_dir, entities=True)


@pytest.fixture(scope="session")
def field_service(field_index_dir) -> SearchService:
    yield from open_service(field_index_dir)


@pytest.fixture(scope="session")
def speech_documents_dir(tmp_path_factory) -> Path:
    """Five speeches and articles with speaker, party and source (``speeches.jsonl``; two
    spellings of one party), plus the root articles, which have a source but no speaker."""
    path = tmp_path_factory.mktemp("speech-documents")
    for name in ("speeches.jsonl", "articles.jsonl"):
        (path / name).write_bytes((FIXTURES / name).read_bytes())
    return path


@pytest.fixture(scope="session")
def speech_index_dir(tmp_path_factory, speech_documents_dir) -> Path:
    return built_index(tmp_path_factory, "speech-index", speech_documents_dir, entities=False)


@pytest.fixture(scope="session")
def speech_service(speech_index_dir) -> SearchService:
    yield from open_service(speech_index_dir)


LONG_SPEECH = FIXTURES / "long_speech.json"


def long_speech() -> dict:
    """The article of ``long_speech.json``: its paragraphs in turn up to ``words`` words,
    with its ``match`` sentence three quarters in."""
    spec = json.loads(LONG_SPEECH.read_text(encoding="utf-8"))
    paragraphs, words, i = [], 0, 0
    while words < spec["words"]:
        if words >= spec["words"] * 3 // 4 and spec["match"] not in paragraphs:
            paragraphs.append(spec["match"])
        paragraphs.append(spec["paragraphs"][i % len(spec["paragraphs"])])
        words += len(paragraphs[-1].split())
        i += 1
    return {key: spec[key] for key in ("id", "title", "date", "source")} | {"text": "\n".join(paragraphs)}


@pytest.fixture(scope="session")
def snippet_documents_dir(tmp_path_factory) -> Path:
    """``tests/fixtures/snippets.jsonl`` plus the long speech (id ``sn-speech``, 4,000 words)."""
    path = tmp_path_factory.mktemp("snippet-documents")
    (path / "snippets.jsonl").write_bytes((FIXTURES / "snippets.jsonl").read_bytes())
    (path / "speech.jsonl").write_text(json.dumps(long_speech(), ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def snippet_index_dir(tmp_path_factory, snippet_documents_dir) -> Path:
    return built_index(tmp_path_factory, "snippet-index", snippet_documents_dir, entities=False)


@pytest.fixture(scope="session")
def snippet_service(snippet_index_dir) -> SearchService:
    yield from open_service(snippet_index_dir)


@pytest.fixture(scope="session")
def export_documents_dir(tmp_path_factory) -> Path:
    """``tests/fixtures/export.jsonl``: six short articles, five about the Haushalt (one
    undated), with titles and sources a spreadsheet would take for formulas, speakers and an author."""
    path = tmp_path_factory.mktemp("export-documents")
    (path / "export.jsonl").write_bytes((FIXTURES / "export.jsonl").read_bytes())
    return path


@pytest.fixture(scope="session")
def export_index_dir(tmp_path_factory, export_documents_dir) -> Path:
    return built_index(tmp_path_factory, "export-index", export_documents_dir, entities=False)


@pytest.fixture(scope="session")
def export_service(export_index_dir) -> SearchService:
    yield from open_service(export_index_dir)


# --- a literal index for entity pages: entities given per article (no NER model needed) ----


@dataclass(frozen=True)
class GivenEntities:
    """What ``indexer.index.writer.extract_entities`` returns for one article."""

    persons: tuple = ()
    countries: tuple = ()  # (name, ISO code)
    organisations: tuple = ()
    mentioned_dates: tuple = ()


RU, DE, CN, CI = ("Russland", "RU"), ("Deutschland", "DE"), ("China", "CN"), ("Côte d'Ivoire", "CI")
GRUENE, STIFTUNG = "Bündnis 90/Die Grünen", 'Stiftung "Neue Wege"'
#: Wladimir Putin is in ep-1..ep-5; Deutschland in every article (lift 1), Russland in four
#: of Putin's five and nowhere else, Xi Jinping and China in three of them (lift 2)
ENTITY_PAGE_ENTITIES = {
    "ep-1": GivenEntities(("Wladimir Putin",), (RU, DE), ("NATO",)),
    "ep-2": GivenEntities(("Wladimir Putin", "Xi Jinping"), (RU, CN, DE)),
    "ep-3": GivenEntities(("Wladimir Putin", "Xi Jinping"), (RU, CN, DE)),
    "ep-4": GivenEntities(("Wladimir Putin", "Xi Jinping"), (CN, DE)),
    "ep-5": GivenEntities(("Wladimir Putin",), (RU, DE), (GRUENE,)),
    "ep-6": GivenEntities(("Olaf Scholz",), (DE,), (GRUENE,)),
    "ep-7": GivenEntities(("Olaf Scholz",), (DE, CI), (GRUENE,)),
    "ep-8": GivenEntities(("Olaf Scholz",), (DE,), ("NATO",)),
    "ep-9": GivenEntities(("Annalena Baerbock",), (DE, CI), (STIFTUNG,)),
    "ep-10": GivenEntities(("Annalena Baerbock",), (DE,), ("NATO",)),
}


def given_entities(articles, options):
    """Stands in for ``extract_entities``: ``ENTITY_PAGE_ENTITIES`` by article id."""
    return [ENTITY_PAGE_ENTITIES.get(article.id, GivenEntities()) for article in articles]


@pytest.fixture(scope="session")
def entity_index_dir(tmp_path_factory) -> Path:
    """``tests/fixtures/entity_pages.jsonl`` (ten articles) with ``ENTITY_PAGE_ENTITIES``."""
    documents = tmp_path_factory.mktemp("entity-documents")
    (documents / "entity_pages.jsonl").write_bytes((FIXTURES / "entity_pages.jsonl").read_bytes())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indexer.index.writer, "extract_entities", given_entities)
        return built_index(tmp_path_factory, "entity-index", documents, entities=True)


@pytest.fixture(scope="session")
def entity_service(entity_index_dir) -> SearchService:
    yield from open_service(entity_index_dir)
