"""Partitioned reading and segment writing, without Dask: byte ranges of a JSONL file read as
one reader reads the file, and a build on two processes equal to one writer's."""

from __future__ import annotations

import dataclasses
import json
import os

import pytest

from indexer.errors import SearchError
from indexer.index import parallel, postfiles, store
from indexer.index.parallel import parts
from indexer.index.writer import BuildOptions, build
from indexer.ingest import partitions
from indexer.ingest.readers import Problem, read_paths


def record(number: int) -> str:
    return json.dumps({"id": f"d{number}", "title": f"Meldung {number}",
                       "text": f"Berlin. Der Bundestag berät zum {number}. Mal über Mali und die Bundeswehr."},
                      ensure_ascii=False)


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "documents"
    path.mkdir()
    lines = [record(n) for n in range(120)]
    lines[7], lines[50] = "{kaputt", ""  # a bad record and an empty line
    lines[90] = "\ufeff" + lines[90]  # a BOM inside the file (files joined with cat)
    (path / "a.jsonl").write_text("\n".join(lines), encoding="utf-8")  # no line end at the end
    (path / "b.txt").write_text("Berlin. Ein kurzer Text über Nordkorea.\n", encoding="utf-8")
    return path


def as_read(items) -> list[tuple]:
    return [(type(item).__name__, item.where, getattr(item, "id", None), getattr(item, "reason", None))
            for item in items]


def partitioned(paths, target: int) -> list:
    """What the coordinator sees: each range's records with the earlier ranges' lines added."""
    numbering, found = partitions.Numbering(), []
    for partition in partitions.plan(paths, target):
        for piece in partition.pieces:
            items = list(partitions.read_piece(piece))
            base = numbering.base(piece, partitions.count_owned(piece.location, piece.span) if piece.span else 0)
            for item in items:
                if isinstance(item, Problem):
                    found.append(dataclasses.replace(item, line=item.line + base if item.line else 0))
                else:
                    item.line += base
                    found.append(item)
    return found


@pytest.mark.parametrize("target", [1, 97, 1000, 4096, 10**9])
def test_byte_ranges_read_as_one_reader_reads_the_file(corpus, target):
    paths = [str(corpus), str(corpus / "fehlt.jsonl")]
    assert as_read(partitioned(paths, target)) == as_read(read_paths(paths))


def test_only_plain_json_lines_are_cut(corpus):
    (corpus / "c.json").write_text(json.dumps([{"id": "x", "text": "Berlin. Ein Text."}] * 50), encoding="utf-8")
    pieces = [piece for partition in partitions.plan([corpus], 500) for piece in partition.pieces]
    assert {piece.shown.rsplit("/", 1)[-1] for piece in pieces if piece.span} == {"a.jsonl"}
    assert all(piece.span is None for piece in pieces if not piece.shown.endswith("a.jsonl"))


def test_parts_are_contiguous_and_balanced():
    assert parts([1] * 10, 2) == [(0, 5), (5, 10)]
    assert parts([9, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2) == [(0, 1), (1, 10)]
    assert parts([5], 2) == [(0, 1)]


def stored(index) -> list[dict]:
    _, ix = store.open_current(index)
    with ix.searcher() as searcher:
        return [searcher.stored_fields(number) for number in range(searcher.doc_count_all())]


def test_two_processes_write_the_index_one_writer_writes(corpus, tmp_path, monkeypatch):
    one = build([corpus], tmp_path / "one", BuildOptions(entities=False, workers=1))
    left_to_the_writer = []
    write_missing = postfiles.write_missing
    monkeypatch.setattr(postfiles, "write_missing", lambda *a: left_to_the_writer.extend(write_missing(*a)))
    two = build([corpus], tmp_path / "two", BuildOptions(entities=False, workers=2))
    assert (two.read, two.indexed, two.skipped, two.problems) == (one.read, one.indexed, one.skipped, one.problems)
    assert stored(tmp_path / "two") == stored(tmp_path / "one")
    generation, ix = store.open_current(tmp_path / "two")
    assert len(ix._segments()) == 2 and set(two.timings) == {"recognise", "write"}
    # each process wrote its segment's postings file; the committing writer had none left to write
    assert all(postfiles.path_for(generation, segment).exists() for segment in ix._segments())
    assert left_to_the_writer == []


def die_in_the_child(job):
    os._exit(3)  # a writing process killed (out of memory, SIGKILL)


def test_a_process_that_dies_fails_the_build_and_the_live_index_stays(corpus, tmp_path, monkeypatch):
    index = tmp_path / "index"
    build([corpus], index, BuildOptions(entities=False, workers=1))
    live, before = store.current_generation(index), stored(index)
    monkeypatch.setattr(parallel, "_write_part", die_in_the_child)
    with pytest.raises(SearchError, match="Ein Indexier-Prozess ist abgebrochen"):
        build([corpus], index, BuildOptions(entities=False, workers=2))
    assert store.current_generation(index) == live and stored(index) == before
