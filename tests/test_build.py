"""Rebuild, incremental add, delete, duplicates, locking and the atomic switch."""

import json
import os
import subprocess
import sys
import threading

import pytest

from indexer.index import store
from indexer.index.writer import BuildOptions, add, build, delete
from indexer.errors import DocumentError, IndexLockedError
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService

NO_NER = BuildOptions(entities=False)


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path):
    return write_jsonl(tmp_path / "docs.jsonl", [
        {"id": "a", "title": "Nordkorea", "text": "Soldaten aus Nordkorea in Kursk.", "date": "2024-10-28"},
        {"id": "b", "title": "Ukraine", "text": "Selenskyj bittet um Hilfe.", "date": "2024-06-12"},
    ])


def total(index_dir, query):
    return SearchService(index_dir).search(SearchRequest(query=query)).total


def test_build_counts_add_up(tmp_path, corpus):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": ""}\n{kaputt\n{"id": "y", "text": "Gut und neu."}\n', encoding="utf-8")
    report = build([corpus, bad], tmp_path / "ix", NO_NER)
    assert (report.read, report.indexed, report.skipped) == (5, 3, 2)
    assert report.read == report.indexed + report.updated + report.unchanged + report.skipped
    assert {w.rsplit(":", 1)[1] for w, _ in report.problems} == {"1", "2"}


def test_on_error_stop_leaves_previous_index_untouched(tmp_path, corpus):
    ix = tmp_path / "ix"
    build([corpus], ix, NO_NER)
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"id": "z", "text": ""}])
    with pytest.raises(DocumentError, match="bad.jsonl:1"):
        build([corpus, bad], ix, BuildOptions(entities=False, on_error="stop"))
    assert total(ix, "Nordkorea") == 1


def test_segments_are_separate_files_so_readers_do_not_copy_them(tmp_path, corpus):
    """Whoosh reads a compound ``.seg`` file through an in-memory copy of its postings."""
    ix = tmp_path / "ix"
    build([corpus], ix, NO_NER)
    generation = store.current_generation(ix)
    assert not list(generation.glob("*.seg"))
    assert list(generation.glob("*.pst")) and list(generation.glob("*.trm"))
    with SearchService(ix) as service:
        assert service.search(SearchRequest(query="Nordkorea")).total == 1


def test_rebuild_switches_generation_atomically_and_cleans_up(tmp_path, corpus):
    ix = tmp_path / "ix"
    build([corpus], ix, NO_NER)
    first = store.current_generation(ix)
    service = SearchService(ix)
    assert service.search(SearchRequest(query="Selenskyj")).total == 1
    write_jsonl(corpus, [{"id": "c", "text": "Nur noch Brüssel."}])
    build([corpus], ix, NO_NER)
    assert store.current_generation(ix) != first and not first.exists()
    assert service.search(SearchRequest(query="Selenskyj")).total == 0  # the open service sees the switch
    assert service.search(SearchRequest(query="Brussel")).total == 1
    assert [p.name for p in ix.iterdir() if p.name.startswith("gen-")] == [store.current_generation(ix).name]


def test_add_is_incremental(tmp_path, corpus):
    ix = tmp_path / "ix"
    build([corpus], ix, NO_NER)
    report = add([corpus], ix, NO_NER)
    assert (report.read, report.indexed, report.updated, report.unchanged) == (2, 0, 0, 2)
    write_jsonl(corpus, [
        {"id": "a", "title": "Nordkorea", "text": "Soldaten aus Nordkorea in Kursk.", "date": "2024-10-28"},
        {"id": "b", "title": "Ukraine", "text": "Selenskyj bittet in Brüssel um Hilfe.", "date": "2024-06-12"},
        {"id": "c", "text": "Ein neuer Text über Südkorea."},
        {"id": "d", "text": "Soldaten aus Nordkorea in Kursk.", "title": "Nordkorea"},
    ])
    report = add([corpus], ix, NO_NER)
    assert (report.indexed, report.updated, report.unchanged, report.skipped) == (1, 1, 1, 1)
    assert "Duplikat" in report.problems[0][1]
    assert total(ix, "Brüssel") == 1 and total(ix, "Südkorea") == 1
    assert SearchService(ix).stats().documents == 3


def test_add_without_index_builds_one(tmp_path, corpus):
    report = add([corpus], tmp_path / "new", NO_NER)
    assert report.indexed == 2


def test_duplicate_content_and_ids_within_a_run(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [
        {"id": "1", "text": "Gleicher Text."}, {"id": "2", "text": "Gleicher Text."}, {"id": "1", "text": "Anderer Text."},
    ])
    report = build([path], tmp_path / "ix", NO_NER)
    assert report.indexed == 1 and report.skipped == 2
    assert [r.split(" (")[0] for _, r in report.problems] == ["Duplikat", "ID 1 doppelt"]


def test_delete(tmp_path, corpus):
    ix = tmp_path / "ix"
    build([corpus], ix, NO_NER)
    report = delete(["a", "nope"], ix)
    assert (report.deleted, report.skipped) == (1, 1)
    assert total(ix, "Nordkorea") == 0


def test_a_failing_delete_cancels_its_writer(tmp_path, corpus):
    ix = tmp_path / "ix"
    build([corpus], ix, NO_NER)

    def ids():
        yield "a"
        raise RuntimeError("abgebrochen")

    with pytest.raises(RuntimeError):
        delete(ids(), ix)
    assert total(ix, "Nordkorea") == 1  # nothing committed
    assert delete(["a"], ix).deleted == 1  # and no Whoosh writer lock left behind


class Recorder:
    """A ``Progress`` that remembers what it was told."""

    def __init__(self):
        self.total, self.done = None, 0

    def start(self, total):
        self.total = total

    def advance(self, n):
        self.done += n


def test_progress_is_told_the_total_and_each_step(tmp_path, corpus):
    progress = Recorder()
    report = build([corpus], tmp_path / "ix", BuildOptions(entities=False, progress=progress))
    assert report.indexed == 2 and progress.total == progress.done == 2
    write_jsonl(tmp_path / "more.jsonl", [{"id": "c", "text": "Neu: Raketen aus Nordkorea."}])
    progress = Recorder()
    add([corpus, tmp_path / "more.jsonl"], tmp_path / "ix", BuildOptions(entities=False, progress=progress))
    assert progress.total == progress.done == 1  # only the new document is written


def test_second_writer_fails_clearly(tmp_path, corpus):
    ix = tmp_path / "ix"
    build([corpus], ix, NO_NER)
    holding, release = threading.Event(), threading.Event()

    def hold():
        with store.write_lock(ix):
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(5), "the lock holder did not start"
    try:
        with pytest.raises(IndexLockedError, match="wird gerade geschrieben"):
            add([corpus], ix, BuildOptions(entities=False, lock_wait=0.3))
    finally:
        release.set()
        thread.join()
    assert total(ix, "Nordkorea") == 1


def test_stale_generations_removed_by_next_writer(tmp_path, corpus):
    ix = tmp_path / "ix"
    build([corpus], ix, NO_NER)
    orphan, _ = store.new_generation(ix)  # as a killed build would leave it
    add([corpus], ix, NO_NER)
    assert not orphan.exists()


def test_stats(tmp_path, corpus):
    ix = tmp_path / "ix"
    build([corpus], ix, NO_NER)
    stats = SearchService(ix).stats()
    assert stats.documents == 2 and stats.terms > 5 and stats.size_bytes > 0
    assert (str(stats.date_min), str(stats.date_max), stats.undated) == ("2024-06-12", "2024-10-28", 0)
    assert stats.last_build


class FakeExtractor:
    """Stands in for the NER model: 'Anna' and the first word of each text is its 'person'."""

    def extract(self, texts):
        from indexer.entities.extraction import DocumentEntities

        for text in texts:
            yield DocumentEntities(persons=(f"Anna {text.split()[0]}",), countries=(("Belgien", "BE"),))


@pytest.mark.parametrize("workers", [1, 2])
def test_entity_extraction_keeps_order_across_workers(tmp_path, monkeypatch, workers):
    import indexer.index.writer as build_module

    monkeypatch.setattr(build_module, "_EXTRACTOR", FakeExtractor())  # forked workers inherit it
    monkeypatch.setattr(build_module, "NER_CHUNK", 3)
    records = [{"id": str(i), "title": f"T{i}", "text": f"Person{i} sagt etwas Neues {i}."} for i in range(20)]
    path = write_jsonl(tmp_path / "many.jsonl", records)
    build([path], tmp_path / "ix", BuildOptions(entities=True, workers=workers))
    service = SearchService(tmp_path / "ix")
    page = service.search(SearchRequest(query="Person7"))
    assert [(h.id, h.persons, h.countries) for h in page.hits] == [("7", ["Anna T7"], ["Belgien"])]
    assert service.search(SearchRequest(query="", filters={"country": ("belgien",)})).total == 20


def test_the_store_imports_without_fcntl():
    script = "import sys; sys.modules['fcntl'] = None; import indexer.index.store, indexer.index.writer, search_web"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


class FakeMsvcrt:
    """``msvcrt.locking`` as Windows does it: a second non-blocking lock of a held byte fails."""

    LK_NBLCK, LK_UNLCK = 2, 0

    def __init__(self):
        self.held, self.calls = set(), []

    def locking(self, fd, mode, nbytes):
        key = os.fstat(fd).st_ino
        self.calls.append((mode, nbytes))
        if mode == self.LK_NBLCK:
            if key in self.held:
                raise PermissionError(13, "Permission denied")
            self.held.add(key)
        else:
            self.held.discard(key)


def test_the_writer_lock_uses_msvcrt_on_windows(tmp_path, monkeypatch):
    fake = FakeMsvcrt()
    monkeypatch.setattr(store, "WINDOWS", True)
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setitem(sys.modules, "fcntl", None)  # importing it now would fail
    with store.write_lock(tmp_path):
        with pytest.raises(IndexLockedError):
            with store.write_lock(tmp_path, wait=0.2):
                pass
    with store.write_lock(tmp_path, wait=0):
        pass
    assert fake.calls[0] == (fake.LK_NBLCK, 1) and fake.calls[-1] == (fake.LK_UNLCK, 1) and not fake.held
