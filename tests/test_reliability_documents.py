"""Malformed input never stops a build: bad records are reported by file and line, good
ones are indexed and findable, the counts add up, and what was indexed is shown escaped.

The corpus (``reliability.malformed``) mixes random bytes, invalid UTF-8, truncated and
fake gzip, JSON of wrong types, 100,000-deep nesting, 5,000-digit numbers, empty files,
duplicate ids and contents, HTML and ``<script>``, BOMs, CRLF and NUL bytes with good
documents.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.index.writer import BuildOptions, add, build
from indexer.cli import index_command
from indexer.ingest.readers import Article, Problem, build_article, read_paths
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService
from reliability.malformed import write_malformed
from search_web.marks import marked, paragraphs_html

EXTENSIONS = (".txt", ".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".jsonl.gz", ".txt.gz", ".csv.gz", ".bin")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("malformed")
    return directory, write_malformed(directory)


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    directory, _ = corpus
    index = tmp_path_factory.mktemp("malformed-index")
    report = build([directory], index, BuildOptions(entities=False))
    service = SearchService(index)
    yield index, report, service
    service.close()


def adds_up(report) -> bool:
    return report.read == report.indexed + report.updated + report.unchanged + report.skipped


def test_counts_add_up(built, corpus):
    _, report, _ = built
    _, plan = corpus
    assert adds_up(report), report.to_dict()
    assert report.skipped == len(report.problems) >= sum(len(lines) for lines in plan.problems.values())
    print(f"\nmalformed records tried: {sum(plan.kinds.values())} {dict(plan.kinds)}; "
          f"read {report.read}, indexed {report.indexed}, skipped {report.skipped}")


def test_every_bad_record_is_reported_with_file_and_line(built, corpus):
    directory, plan = corpus
    _, report, _ = built
    where = {w for w, _ in report.problems}
    for name, lines in plan.problems.items():
        for line in lines:
            expected = f"{directory / name}:{line}" if line else str(directory / name)
            assert expected in where, (expected, sorted(where))
    for name in plan.noisy:
        assert any(w.startswith(str(directory / name)) for w in where), name
    assert all(w.startswith(str(directory)) and reason for w, reason in report.problems)


def test_every_good_document_is_indexed_and_findable(built, corpus):
    _, plan = corpus
    _, _, service = built
    for doc_id, word in plan.good.items():
        hits = service.search(SearchRequest(query=word, page_size=5)).hits
        assert len(hits) == 1, (doc_id, word, [h.id for h in hits])
        if not doc_id.startswith("csv:"):
            assert hits[0].id == doc_id
            assert word in service.document(doc_id).body


def test_records_before_a_gzip_truncation_are_kept(built, corpus):
    _, _, service = built
    kept = service.search(SearchRequest(query="gz", page_size=100)).total
    assert 0 < kept < 200


def test_indexed_html_is_shown_escaped(built, corpus):
    _, plan = corpus
    _, _, service = built
    hit = service.search(SearchRequest(query=plan.good["m-html"])).hits[0]
    snippets = " ".join(marked(s) for s in hit.snippets)  # as the web shows them
    assert "<script" not in snippets and "<img" not in snippets and "<b>" not in snippets
    assert "&lt;script&gt;" in snippets
    view = service.document("m-html")
    body = paragraphs_html(view.paragraphs)
    assert "<script" not in body and "<img" not in body and "&lt;script&gt;" in body


def test_control_characters_and_surrogates_are_cleaned(built):
    _, _, service = built
    body = service.document("m-nul").body
    assert "\x00" not in body and "\x1b" not in body and "\u202e" not in body
    view = service.document("m-surrogate")
    assert "\ufffd" in view.body
    json.dumps(view.to_dict(), ensure_ascii=False).encode("utf-8")  # writable as UTF-8


def test_adding_the_same_files_again_changes_nothing(built, corpus):
    directory, _ = corpus
    index, first, service = built
    report = add([directory], index, BuildOptions(entities=False))
    assert adds_up(report), report.to_dict()
    assert (report.indexed, report.updated, report.unchanged) == (0, 0, first.indexed)
    assert service.stats().documents == first.indexed


def test_cli_reports_the_same_counts(corpus, tmp_path):
    directory, _ = corpus
    result = CliRunner().invoke(index_command, ["build", str(directory), "--index", str(tmp_path / "ix"),
                                                "--no-entities", "--json"])
    assert result.exit_code == 0, result.output[-2000:]
    data = json.loads(result.stdout)
    assert data["read"] == data["indexed"] + data["updated"] + data["unchanged"] + data["skipped"]
    assert len(data["problems"]) == data["skipped"]


def test_on_error_stop_writes_nothing(corpus, tmp_path):
    directory, _ = corpus
    result = CliRunner().invoke(index_command, ["build", str(directory), "--index", str(tmp_path / "ix"),
                                                "--no-entities", "--on-error", "stop"])
    assert result.exit_code == 2 and "Fehler:" in result.output
    assert not (tmp_path / "ix" / "CURRENT").exists()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(EXTENSIONS))
def test_any_bytes_in_any_format_are_read_or_reported(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"datei{suffix}"
    path.write_bytes(data)
    for item in read_paths([path]):
        assert isinstance(item, (Article, Problem))
        assert item.path == str(path)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(st.characters(codec=None, exclude_categories=())),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
RECORDS = st.dictionaries(st.sampled_from(("id", "title", "text", "body", "date", "url", "source", "teaser",
                                           "headline", "published", "speaker", "Text", "ID")), JSON_VALUES, max_size=7)


@settings(max_examples=400, deadline=None)
@given(record=RECORDS | JSON_VALUES)
def test_any_json_value_becomes_an_article_or_a_problem(record):
    item = build_article(record, "feed.jsonl", 3)
    assert isinstance(item, (Article, Problem))
    if isinstance(item, Article):
        item.body.encode("utf-8"), item.title.encode("utf-8"), item.id.encode("utf-8")
    else:
        assert item.where == "feed.jsonl:3" and item.reason


BIG_SCRIPT = textwrap.dedent("""
    import json, re, sys
    from indexer.ingest.readers import read_paths
    items = [(type(i).__name__, i.where, getattr(i, "reason", "")) for i in read_paths([sys.argv[1]])]
    # VmHWM: this process image's peak; ru_maxrss survives exec and would count a big parent's pages
    peak_kb = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
    print(json.dumps({"items": items, "max_rss_mb": peak_kb / 1024}))
""")


def write_big(path, kind: str, size: int = 50_000_000) -> None:
    words = "Zeitenwende " * (size // 12)
    if kind == "txt":
        path.write_text("Berlin. " + words)
    elif kind == "jsonl":
        path.write_text(json.dumps({"id": "riesig", "text": words}) + "\n" + '{"id": "klein", "text": "klein"}\n')
    elif kind == "csv":
        path.write_text(f'title,text\nT,"{words}"\nT2,klein\n')
    else:  # gzip bombs: 1 GB in about 1 MB; the JSONL one has a good record after its endless line
        with gzip.open(path, "wb", compresslevel=9) as f:
            f.write(b"[" if path.name.endswith(".json.gz") else b"")
            for _ in range(1000):
                f.write(b" " * 1_000_000)
            f.write(b'\n{"id": "klein", "text": "klein"}\n')


BIG = {"txt": "gross.txt", "jsonl": "gross.jsonl", "csv": "gross.csv", "bomb": "bombe.jsonl.gz",
       "array-bomb": "bombe.json.gz"}


@pytest.mark.slow
@pytest.mark.parametrize("kind", BIG)
def test_a_huge_record_is_reported_without_a_memory_blowup(tmp_path, kind):
    """50 MB records (and a 1 GB line in a gzip file) are reported, read no further than needed."""
    path = tmp_path / BIG[kind]
    write_big(path, kind)
    done = subprocess.run([sys.executable, "-c", BIG_SCRIPT, str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    kinds = [k for k, _, _ in result["items"]]
    big = [reason for k, _, reason in result["items"] if k == "Problem"]
    assert len(big) == 1 and any(word in big[0] for word in ("groß", "zu lang", "field limit")), big
    if kind not in ("txt", "array-bomb"):
        assert kinds.count("Article") == 1  # the small record next to the big one is kept
    assert result["max_rss_mb"] < 400, result["max_rss_mb"]


@pytest.mark.parametrize("url, kept", [("https://example.org/a", True), ("HTTP://example.org", True),
                                       ("javascript:alert(1)", False), (" JavaScript:alert(1)", False),
                                       ("data:text/html,<script>", False), ("//evil.example", False)])
def test_only_web_links_are_kept_as_the_original_url(url, kept):
    article = build_article({"id": "u", "text": "Text", "url": url}, "feed.jsonl", 1)
    assert article.url == (url.strip() if kept else "")
