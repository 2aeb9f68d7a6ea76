"""Readers: every format with good and broken input; every bad record reported by file and line."""

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from indexer.errors import DateFormatError
from indexer.ingest.documents import Article, lead_sentence
from indexer.text.dates import parse_timestamp as parse_date
from indexer.ingest.readers import Problem, read_paths

SEED_LINKS = "Australien schickt große Panzerlieferung"


def read(path):
    items = list(read_paths([path]))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)]


def test_seed_article_body_excludes_related_links(request):
    SEED_ARTICLE = Path(__file__).parent.parent / "seeds" / "000_923481393c34947e.txt"

    (article,), problems = read(SEED_ARTICLE)
    assert not problems
    assert SEED_LINKS not in article.body
    assert article.body.startswith("Berlin. NATO-Generalsekretär Mark Rutte")
    assert article.body.rstrip().endswith("warnte er.")
    assert article.title == "NATO-Generalsekretär Mark Rutte berichtet von mehr als 600.000 russischen Verlusten im Ukraine-Krieg."
    assert article.date is None
    assert article.id == "000_923481393c34947e"


def test_txt_front_matter_sets_date_and_title(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("---\ndate: 28.10.2024\ntitle: Ein Titel\nsource: Testpost\n---\nBerlin. Text hier.\n", encoding="utf-8")
    (article,), _ = read(path)
    assert (article.date, article.title, article.source) == (dt.date(2024, 10, 28), "Ein Titel", "Testpost")
    assert article.body == "Berlin. Text hier."


def test_txt_invalid_utf8_is_reported_with_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes("Zeile eins\nZeile zwei \xfc".encode("utf-8") + b"\xff\xfe kaputt\n")
    articles, (problem,) = read(path)
    assert not articles
    assert (problem.line, problem.reason) == (2, "kein gültiges UTF-8")


def test_txt_with_bad_front_matter_date_is_reported(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("---\ndate: gestern\n---\nText\n", encoding="utf-8")
    articles, (problem,) = read(path)
    assert "Datumsformat" in problem.reason


def test_jsonl_maps_common_field_names_and_keeps_metadata(tmp_path):
    path = tmp_path / "a.jsonl"
    record = {"headline": "Titel", "teaser": "Vorspann.", "content": "Haupttext.", "published": "2024-10-28T09:30:00Z",
              "link": "https://x.test", "outlet": "Testpost", "speaker": "Mark Rutte", "party": "—",
              "role": "Generalsekretär", "session": 20}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (article,), _ = read(path)
    assert article.title == "Titel" and article.body == "Vorspann.\n\nHaupttext."
    assert article.date == dt.date(2024, 10, 28) and article.url == "https://x.test" and article.source == "Testpost"
    assert (article.speaker, article.party) == ("Mark Rutte", "")  # a dash is no party
    assert article.meta == {"role": "Generalsekretär", "session": 20}
    assert article.id.startswith("h")  # content hash id when none is given


@pytest.mark.parametrize("record, speaker, party", [
    ({"speaker": "Annalena Baerbock", "party": "BÜNDNIS 90/DIE GRÜNEN"}, "Annalena Baerbock", "BÜNDNIS 90/DIE GRÜNEN"),
    ({"Autor": " Anna\n  Muster ", "Partei": "SPD"}, "Anna Muster", "SPD"),
    ({"authors": ["Anna Muster", "Max Beispiel"]}, "Anna Muster, Max Beispiel", ""),
    ({"redner": "Olaf Scholz", "fraktion": ""}, "Olaf Scholz", ""),
    ({"author": None, "party": "-"}, "", ""),
    ({"author": "Sehr lang " * 40}, ("Sehr lang " * 20).strip(), ""),
])
def test_jsonl_speaker_and_party_fields(tmp_path, record, speaker, party):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "Herr Präsident!", **record}) + "\n", encoding="utf-8")
    (article,), problems = read(path)
    assert not problems and (article.speaker, article.party) == (speaker, party)
    assert not {"speaker", "party"} & set(article.meta)


def test_csv_speaker_party_and_source_columns(tmp_path):
    path = tmp_path / "reden.csv"
    path.write_text("id,title,text,Redner,Partei,Quelle\n"
                    'r1,TOP 3,"Herr Präsident! Mali.",Annalena Baerbock,BÜNDNIS 90/DIE GRÜNEN,Bundestag-WP20\n'
                    "r2,TOP 4,Ohne Angaben.,,,\n", encoding="utf-8")
    (first, second), problems = read(path)
    assert not problems
    assert (first.speaker, first.party, first.source) == ("Annalena Baerbock", "BÜNDNIS 90/DIE GRÜNEN", "Bundestag-WP20")
    assert (second.speaker, second.party, second.source) == ("", "", "")


def test_txt_has_no_speaker_unless_its_front_matter_names_one(tmp_path):
    plain, framed = tmp_path / "a.txt", tmp_path / "b.txt"
    plain.write_text("Berlin. Text hier.\n", encoding="utf-8")
    framed.write_text("---\nspeaker: Olaf Scholz\nparty: SPD\n---\nBerlin. Rede.\n", encoding="utf-8")
    (a, b), _ = read(tmp_path)
    assert (a.speaker, a.party) == ("", "") and (b.speaker, b.party) == ("Olaf Scholz", "SPD")


def test_jsonl_bad_lines_reported_good_lines_kept(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    lines = [
        json.dumps({"id": "1", "text": "Gut."}),
        "{kaputt",
        json.dumps({"id": "3", "text": ""}),
        json.dumps({"id": "4", "text": "Text", "date": "31.02.2024"}),
        json.dumps({"id": "5", "text": ["keine", "Zeichenkette"]}),
        json.dumps(["kein", "Objekt"]),
        "",
        json.dumps({"id": "8", "text": "Auch gut.", "date": "2024-02-29"}),
    ]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    articles, problems = read(path)
    assert [a.id for a in articles] == ["1", "8"]
    assert [(p.line, p.reason.split(" (")[0]) for p in problems] == [
        (2, "kein gültiges JSON"), (3, "leerer Text"), (4, "ungültiges Datum: '31.02.2024'"),
        (5, "Feld 'text' hat den falschen Typ"), (6, "Datensatz ist kein Objekt, sondern list"),
    ]


def test_json_array(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"id": "a", "text": "Eins."}, {"id": "b", "title": "Nur Titel"}]), encoding="utf-8")
    articles, problems = read(path)
    assert [a.id for a in articles] == ["a"] and problems[0].line == 2


def test_csv_with_header(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('id,title,text,date\n1,Titel,"Text, mit Komma",2024-01-02\n2,Kaputt\n', encoding="utf-8")
    articles, (problem,) = read(path)
    assert articles[0].body == "Text, mit Komma" and articles[0].date == dt.date(2024, 1, 2)
    assert problem.line == 3


def test_csv_10kgnad_label_text_form(tmp_path):
    path = tmp_path / "gnad.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("Sport;'Der Verein gewann am Sonntag. Der Trainer war zufrieden.'\nWeb;'Ein ''zitierter'' Text.'\n")
    articles, problems = read(path)
    assert not problems
    assert articles[0].meta == {"label": "Sport"} and articles[1].body == "Ein 'zitierter' Text."


def test_truncated_gzip_is_reported(tmp_path):
    full = gzip.compress(("\n".join(json.dumps({"id": str(i), "text": "x" * 50}) for i in range(2000))).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(full[: len(full) // 2])
    articles, problems = read(path)
    assert articles and problems and "nicht lesbar" in problems[-1].reason


def test_directories_are_read_recursively_and_unknown_files_reported(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Ein Text.", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    articles, problems = read(tmp_path)
    assert len(articles) == 1 and "kein unterstütztes Format" in problems[0].reason


@pytest.mark.parametrize("value, expected", [
    ("2024-10-28", dt.date(2024, 10, 28)), ("28.10.2024", dt.date(2024, 10, 28)),
    ("2024-10-28T09:30:00+02:00", dt.date(2024, 10, 28)), ("", None), (None, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2024-13-01", "31.02.2024", "Oktober 2024", "2024/10/28", "28.10.24", 20241028])
def test_parse_date_is_strict(value):
    with pytest.raises(DateFormatError):
        parse_date(value)


def test_lead_sentence_drops_dateline():
    assert lead_sentence("Berlin. Die Regierung tagt heute lange. Danach mehr.") == "Die Regierung tagt heute lange."
