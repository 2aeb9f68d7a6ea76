"""The command line: text and --json output, errors as one line with a hint, index commands."""

import json
import os
import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from pathlib import Path

SEED_ARTICLE = Path(__file__).parent.parent / "seeds" / "000_923481393c34947e.txt"
from indexer.cli import index_command, search_command, terminal_text
from indexer.search.results import Snippet
from indexer.text.numbers import german_number

SEED_ID = SEED_ARTICLE.stem


COUNTS = ("read", "indexed", "updated", "unchanged", "skipped", "deleted")
SUMMARY = re.compile(r"gelesen (\d+), indexiert (\d+), aktualisiert (\d+), unverändert (\d+), "
                     r"übersprungen (\d+), gelöscht (\d+)")


def summary_counts(output: str) -> dict[str, int]:
    """The counts of the one summary line every ``search-index`` run ends with."""
    found = SUMMARY.findall(output)
    assert len(found) == 1, output
    names = ("gelesen", "indexiert", "aktualisiert", "unverändert", "übersprungen", "gelöscht")
    return dict(zip(names, map(int, found[0])))


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


def test_a_speech_is_titled_by_its_speaker_with_the_agenda_below(run, speech_index_dir):
    result = run(search_command, "Sudan", "--index", speech_index_dir)
    lines = result.output.splitlines()
    first = lines.index("1. Annalena Baerbock (BÜNDNIS 90/DIE GRÜNEN)")
    subtitle, meta = lines[first + 1], lines[first + 2]
    assert subtitle.startswith("   Tagesordnungspunkt 7: Beratung") and subtitle.endswith(" …") and len(subtitle) < 160
    assert meta.startswith("   18.03.2021 · Bundestag-WP20 · sp-1")
    article = run(search_command, "Kursk", "--index", speech_index_dir).output.splitlines()
    assert article[2] == "1. Nordkoreanische Soldaten in Kursk" and article[3].startswith("   28.10.2024 · Testpost")


@pytest.mark.parametrize("args, expected", [
    (["--speaker", "Gregor Gysi"], {"sp-4"}),
    (["--party", "die linke"], {"sp-3", "sp-4"}),
    (["--party", "CDU/CSU", "--party", "Die Linke"], {"sp-2", "sp-3", "sp-4"}),
    (["--source", "testpost"], {"sp-5", "nk-1"}),
])
def test_metadata_options_filter(run, speech_index_dir, args, expected):
    result = run(search_command, "Hilfe", *args, "--json", "--index", speech_index_dir)
    assert result.exit_code == 0, result.output
    assert {hit["id"] for hit in json.loads(result.output)["hits"]} == expected


def test_json_hits_have_speaker_party_and_byline(run, speech_index_dir):
    data = json.loads(run(search_command, "Kontrollgremium", "--json", "--index", speech_index_dir).output)
    hit = data["hits"][0]
    assert (hit["speaker"], hit["party"], hit["byline"]) == ("Gregor Gysi", "Die Linke", "Gregor Gysi (Die Linke)")
    party = next(f for f in data["facets"] if f["name"] == "party")
    assert party["label"] == "Parteien" and party["values"][0]["value"] == "DIE LINKE"


def test_search_prints_metadata_facets(run, speech_index_dir):
    out = run(search_command, "Hilfe", "--index", speech_index_dir).output
    assert "Parteien: DIE LINKE (2), BÜNDNIS 90/DIE GRÜNEN (1), CDU/CSU (1)" in out
    assert "Quellen: Bundestag-WP20 (4), Testpost (2)" in out


def test_search_filters_and_sort(run, index_dir):
    data = json.loads(run(search_command, "Korea OR Soldat", "--from", "2024-01-01", "--sort", "date", "--json",
                          "--index", index_dir).output)
    assert [h["id"] for h in data["hits"]] == ["nk-1"]


def test_bad_query_is_one_line_with_hint(run, index_dir):
    result = run(search_command, "Nordkorea)", "--index", index_dir)
    assert result.exit_code == 2
    assert result.output.splitlines()[0].startswith("Fehler: Unerwartetes")
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
    assert "Meinten Sie: Nordkorea" in run(search_command, "Nordkroea", "--no-autocorrect", "--index", index_dir).output
    corrected = run(search_command, "Nordkroea", "--index", index_dir).output
    assert corrected.startswith("2 Treffer für »Nordkorea«") and "Stattdessen suchen nach »Nordkroea«" in corrected


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
    # records, not files, are counted: 6 in articles.jsonl + the seed article + 1 bad record
    assert summary_counts(result.output) == {"gelesen": 8, "indexiert": 7, "aktualisiert": 0, "unverändert": 0,
                                             "übersprungen": 1, "gelöscht": 0}
    assert "bad.jsonl:1: leerer Text" in result.output and "1 × leerer Text" in result.output
    added = json.loads(run(index_command, "add", documents_dir, "--index", ix, "--no-entities", "--json").output)
    assert {k: added[k] for k in COUNTS} == {"read": 7, "indexed": 0, "updated": 0, "unchanged": 7, "skipped": 0,
                                            "deleted": 0}
    deleted = run(index_command, "delete", "nk-1", "--index", ix)
    assert summary_counts(deleted.output) == {"gelesen": 1, "indexiert": 0, "aktualisiert": 0, "unverändert": 0,
                                              "übersprungen": 0, "gelöscht": 1}
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
    assert "indexiert 1.893" in done.stderr  # German number format


def test_leading_minus_excludes_a_word(run, index_dir):
    result = run(search_command, "Korea", "-Kursk", "--json", "--index", index_dir)
    assert result.exit_code == 0, result.output
    assert {h["id"] for h in json.loads(result.output)["hits"]} == {"sk-1"}


def search_ids(run, index_dir, *args) -> list[str]:
    result = run(search_command, *args, "--json", "--index", index_dir)
    assert result.exit_code == 0, result.output
    return [h["id"] for h in json.loads(result.output)["hits"]]


@pytest.mark.parametrize("option, day, expected", [
    ("--to", "2023-12-31", {"sk-1", "bw-1"}),
    ("--to", "2023-12-15", {"sk-1", "bw-1"}),  # the bound itself is included
    ("--to", "14.12.2023", {"sk-1"}),
    ("--from", "28.10.2024", {"nk-1"}),  # German date form; the bound is included
    ("--from", "2024-10-29", set()),
])
def test_date_bounds(run, index_dir, option, day, expected):
    """The undated seed article matches the query but never a date range."""
    assert set(search_ids(run, index_dir, "Korea OR Soldat")) == {"nk-1", "bw-1", "sk-1", SEED_ID}
    assert set(search_ids(run, index_dir, "Korea OR Soldat", option, day)) == expected


def test_from_and_to_together(run, index_dir):
    assert search_ids(run, index_dir, "Korea OR Soldat", "--from", "01.01.2023", "--to", "2023-12-31",
                      "--sort", "date") == ["bw-1", "sk-1"]


def test_page_two_shows_the_next_ranks(run, index_dir):
    everything = search_ids(run, index_dir, "Korea OR Soldat OR Ukraine OR Bundeswehr", "--limit", "10")
    assert len(everything) == 5
    pages = [search_ids(run, index_dir, "Korea OR Soldat OR Ukraine OR Bundeswehr", "--limit", "2", "--page", page)
             for page in (1, 2, 3)]
    assert pages == [everything[0:2], everything[2:4], everything[4:5]]
    out = run(search_command, "Korea OR Soldat OR Ukraine OR Bundeswehr", "--limit", "2", "--page", "2",
              "--index", index_dir).output
    assert out.splitlines()[0].endswith(", Seite 2 von 3")
    ranks = re.findall(r"^(\d+)\. ", out, re.M)
    assert ranks == ["3", "4"]


def test_empty_query_lists_every_document_newest_first(run, index_dir, service):
    result = run(search_command, "--json", "--index", index_dir)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == service.stats().documents == 7 and data["undated"] == 2
    dates = [h["date"] for h in data["hits"]]
    assert dates[:5] == ["2025-01-20", "2024-10-28", "2024-06-12", "2023-12-15", "2023-03-02"]
    assert dates[5:] == [None, None]  # undated documents last
    text = run(search_command, "--index", index_dir)
    assert text.exit_code == 0 and text.output.startswith("7 Treffer")
    assert re.findall(r"^(\d+)\. ", text.output, re.M) == [str(rank) for rank in range(1, 8)]


def test_stopword_query_says_so(run, index_dir):
    result = run(search_command, "der die das", "--index", index_dir)
    assert result.exit_code == 2
    assert "nur Füll- oder Stoppwörter" in result.output and "Traceback" not in result.output


def test_stats_prints_the_service_counts(run, index_dir, service):
    stats = service.stats()
    out = run(index_command, "stats", "--index", index_dir).output
    assert re.search(rf"^Dokumente:\s+{german_number(stats.documents)}$", out, re.M)
    assert re.search(rf"^Terme:\s+{german_number(stats.terms)}$", out, re.M)
    assert re.search(rf"^Zeitraum:\s+{stats.date_min} bis {stats.date_max} \(ohne Datum: {stats.undated}\)$", out, re.M)
    assert (stats.documents, stats.undated, str(stats.date_min), str(stats.date_max)) == (7, 2, "2023-03-02", "2025-01-20")
    data = json.loads(run(index_command, "stats", "--json", "--index", index_dir).output)
    assert data == {**stats.to_dict(), "last_build": data["last_build"]}


@pytest.fixture
def small_index(run, tmp_path, documents_dir):
    ix = tmp_path / "ix"
    assert run(index_command, "build", documents_dir, "--index", ix, "--no-entities").exit_code == 0
    return ix


def index_state(run, ix) -> tuple:
    stats = json.loads(run(index_command, "stats", "--json", "--index", ix).output)
    everything = json.loads(run(search_command, "--json", "--limit", "100", "--index", ix).output)
    return stats["documents"], stats["terms"], sorted(h["id"] for h in everything["hits"])


def test_delete_of_an_unknown_id_is_skipped(run, small_index):
    before = index_state(run, small_index)
    result = run(index_command, "delete", "gibt-es-nicht", "--index", small_index)
    assert result.exit_code == 0, result.output
    assert "gibt-es-nicht: ID nicht im Index" in result.output
    assert summary_counts(result.output) == {"gelesen": 1, "indexiert": 0, "aktualisiert": 0, "unverändert": 0,
                                             "übersprungen": 1, "gelöscht": 0}
    assert index_state(run, small_index) == before


def test_delete_of_known_and_unknown_ids(run, small_index):
    data = json.loads(run(index_command, "delete", "gibt-es-nicht", "nk-1", "--json", "--index", small_index).output)
    assert (data["read"], data["deleted"], data["skipped"]) == (2, 1, 1)
    assert data["problems"] == [{"where": "gibt-es-nicht", "reason": "ID nicht im Index"}]
    assert "nk-1" not in index_state(run, small_index)[2]


def test_add_on_error_stop_names_the_record_and_changes_nothing(run, small_index, tmp_path):
    before = index_state(run, small_index)
    new = tmp_path / "neu.jsonl"
    new.write_text('{"id": "gr-1", "text": "Dänemark lehnt den Verkauf von Grönland ab."}\n'
                   '{"id": "gr-2", "text": ""}\n'
                   '{"id": "gr-3", "text": "Grönland wählt ein neues Parlament."}\n', encoding="utf-8")
    result = run(index_command, "add", new, "--on-error", "stop", "--index", small_index, "--no-entities")
    assert result.exit_code == 2
    assert "neu.jsonl:2" in result.output and "leerer Text" in result.output and "Traceback" not in result.output
    assert index_state(run, small_index) == before
    assert search_ids(run, small_index, "Grönland") == []
    skipped = run(index_command, "add", new, "--index", small_index, "--no-entities")  # the default goes on
    assert summary_counts(skipped.output)["indexiert"] == 2
    assert sorted(search_ids(run, small_index, "Grönland")) == ["gr-1", "gr-3"]


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
