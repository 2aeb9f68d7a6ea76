"""The command line: text and --json output, errors as one line with a hint, index commands."""

import json
import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from pathlib import Path

SEED_ARTICLE = Path(__file__).parent.parent / "seeds" / "000_923481393c34947e.txt"
from indexer.cli import index_command, search_command, terminal_text
from indexer.search.results import Snippet

SEED_ID = SEED_ARTICLE.stem


@pytest.fixture
def run():
    def invoke(command, *args, **env):
        return CliRunner().invoke(command, [str(a) for a in args], env={k: str(v) for k, v in env.items()})
    return invoke


def test_search_prints_ranked_hits_snippets_and_facets(run, index_dir):
    result = run(search_command, "Nordkorea", "--index", index_dir)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("2 Treffer für »Nordkorea«")
    assert "1. " in out and "NATO-Generalsekretär Mark Rutte berichtet" in out
    assert "Nordkorea" in out and "<mark>" not in out  # plain in a pipe
    assert "Jahr: 2024 (1)" in out and "ohne Datum: 1" in out


def test_search_json_has_stable_fields(run, index_dir):
    result = run(search_command, "Korea", "--json", "--limit", "2", "--index", index_dir)
    data = json.loads(result.output)
    assert set(data) >= {"total", "hits", "facets", "suggestion", "page", "pages", "page_size", "took_ms"}
    assert data["total"] == 3 and len(data["hits"]) == 2 and data["pages"] == 2
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "date", "source", "url", "score", "snippets", "persons", "countries", "organisations"}
    snippet = hit["snippets"][0]  # data, not HTML: text and the [start, end] of each match
    assert set(snippet) == {"text", "marks"} and snippet["marks"]
    assert all(snippet["text"][start:end].lower().endswith(("korea", "koreas")) for start, end in snippet["marks"])


def test_search_filters_and_sort(run, index_dir):
    data = json.loads(run(search_command, "Korea OR Soldat", "--from", "2024-01-01", "--sort", "date", "--json",
                          "--index", index_dir).output)
    assert [h["id"] for h in data["hits"]] == ["nk-1"]


def test_bad_query_is_one_line_with_hint(run, index_dir):
    result = run(search_command, '"unclosed', "--index", index_dir)
    assert result.exit_code == 2
    assert result.output.splitlines()[0].startswith("Fehler: Anführungszeichen nicht geschlossen")
    assert result.output.splitlines()[1].startswith("Hinweis:")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, typo, hint", [
    (["Nordkorea", "--contry", "Russland"], "--contry", "Meinten Sie --country?"),
    (["Nordkorea", "--sortt=date"], "--sortt", "Meinten Sie --sort?"),
    (["--person", "Putin", "--xyzzy"], "--xyzzy", "Alle Optionen: search --help"),
])
def test_unknown_long_option_is_an_error_with_the_closest_option(run, index_dir, args, typo, hint):
    result = run(search_command, *args, "--index", index_dir)
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"Fehler: Unbekannte Option {typo}.", f"Hinweis: {hint}"]


@pytest.mark.parametrize("args, query", [
    (["Putin", "-Selenskyj"], "Putin -Selenskyj"),  # a single dash excludes a word
    (["Korea", "--person", "--Kim"], "Korea"),  # an option's value is not an option
    (["Korea", "--", "--Soldat"], "Korea --Soldat"),  # after -- everything is query text
])
def test_query_words_with_dashes_still_search(run, index_dir, args, query):
    result = run(search_command, "--json", "--index", index_dir, *args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["request"]["query"] == query


def test_bad_date_option(run, index_dir):
    result = run(search_command, "Korea", "--from", "gestern", "--index", index_dir)
    assert result.exit_code == 2 and "Datumsformat" in result.output


def test_suggestion(run, index_dir):
    assert "Meinten Sie: nordkorea" in run(search_command, "Nordkroea", "--index", index_dir).output


def test_missing_index_is_built_from_seeds(run, tmp_path, documents_dir):
    result = run(search_command, "Kampfeinsatz", "--index", tmp_path / "ix", NEWS_SEARCH_SEEDS=documents_dir)
    assert result.exit_code == 0, result.output
    assert "Noch kein Index" in result.output and "gelesen 7, indexiert 7" in result.output
    assert "Bundeswehr beendet Kampfeinsatz" in result.output


def test_index_commands(run, tmp_path, documents_dir):
    ix = tmp_path / "ix"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "q", "text": ""}\n', encoding="utf-8")
    result = run(index_command, "build", documents_dir, bad, "--index", ix, "--no-entities")
    assert result.exit_code == 0, result.output
    assert "gelesen 3, indexiert 7" not in result.output  # records, not files, are counted
    assert "indexiert 7" in result.output and "übersprungen 1" in result.output
    assert "bad.jsonl:1: leerer Text" in result.output and "1 × leerer Text" in result.output
    added = json.loads(run(index_command, "add", documents_dir, "--index", ix, "--no-entities", "--json").output)
    assert (added["unchanged"], added["indexed"]) == (7, 0)
    assert "gelöscht 1" in run(index_command, "delete", "nk-1", "--index", ix).output
    stats = json.loads(run(index_command, "stats", "--json", "--index", ix).output)
    assert stats["documents"] == 6 and stats["date_min"] == "2023-03-02"
    stop = run(index_command, "build", bad, "--index", ix, "--on-error", "stop", "--no-entities")
    assert stop.exit_code == 2 and "bad.jsonl:1" in stop.output


def test_stats_without_index(run, tmp_path):
    result = run(index_command, "stats", "--index", tmp_path / "none")
    assert result.exit_code == 2 and "Kein Index" in result.output and "search-index build" in result.output


@pytest.mark.slow
def test_readme_command_on_the_real_seeds(tmp_path):
    """README command (1) as a process: builds from seeds/ on first use and finds the seed article."""
    env = {**os.environ, "NEWS_SEARCH_INDEX": str(tmp_path / "index")}
    env.pop("NEWS_SEARCH_SEEDS", None)
    done = subprocess.run([sys.executable, "-c", "from indexer.cli import search_command; search_command()",
                           "Nordkorea", "--limit", "20"], env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr
    assert "NATO-Generalsekretär Mark Rutte berichtet" in done.stdout
    assert "Bundestag-WP" in done.stdout  # demo-corpus speeches too
    assert "indexiert 1893" in done.stderr


def test_leading_minus_excludes_a_word(run, index_dir):
    result = run(search_command, "Korea", "-Kursk", "--json", "--index", index_dir)
    assert result.exit_code == 0, result.output
    assert {h["id"] for h in json.loads(result.output)["hits"]} == {"sk-1"}


def test_snippet_marks_are_bold_on_a_terminal_and_plain_in_a_pipe():
    snippet = Snippet("Kim & <b>Nordkorea</b>", ((9, 18),))
    assert terminal_text(snippet, color=False) == "Kim & <b>Nordkorea</b>"
    assert terminal_text(snippet, color=True) == "Kim & <b>" + click.style("Nordkorea", bold=True, fg="yellow") + "</b>"


def test_the_progress_bar_is_a_build_progress(tmp_path, capsys):
    from indexer.cli import ProgressBar

    with ProgressBar(phases=2) as bar:
        bar.start(4)
        bar.advance(3)
        assert bar.bar.pos == 3 and bar.rate(None).endswith("Dok./s")
    ProgressBar(phases=1).__exit__(None, None, None)  # a run that never started: nothing to close
