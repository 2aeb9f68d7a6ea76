"""Postings files: every term's postings and positions as Whoosh's blocks decode them, one file
per segment from every commit, and Whoosh's blocks wherever a segment has no (good) file."""

import json

import numpy as np
import pytest

from indexer.index import postfiles, store
from indexer.index.blocks import raw_matcher, read_term
from indexer.index.writer import BuildOptions, add, build, delete
from indexer.search.postings import Postings, PostingsCache
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService


def segment_files(index: "Path") -> tuple[list[str], list]:
    generation = store.current_generation(index)
    with store.open_index(index).reader() as reader:
        ids = [segment.segment_id() for segment in reader.segments()]
    return ids, sorted(generation.glob(f"*{postfiles.SUFFIX}"))


def small_index(tmp_path, text: str, count: int):
    """An index of ``count`` documents ``a0``, ``a1``, ... (``text`` and the number), and its one postings file."""
    docs = tmp_path / "a.jsonl"
    docs.write_text("\n".join(json.dumps({"id": f"a{i}", "title": "Titel", "text": f"{text} {i}."}) for i in range(count)))
    index = tmp_path / "index"
    build([docs], index, BuildOptions(entities=False))
    _, (path,) = segment_files(index)
    return index, path


def test_every_term_of_every_text_field_as_whoosh_decodes_it(index_dir):
    generation = store.current_generation(index_dir)
    with store.open_index(index_dir).reader() as reader:
        leaf = reader.leaf_readers()[0][0]
        mapped = postfiles.PostingsFile.open(postfiles.path_for(generation, leaf.segment()))
        assert sorted(mapped.fields) == ["body", "exact", "title"] == sorted(postfiles.text_fields(reader.schema))
        checked = 0
        for name, field in mapped.fields.items():
            terms = list(leaf.lexicon(name))
            assert [field.term(i) for i in range(field.size)] == terms
            for term in terms:
                ids, weights = field.postings(term)
                whoosh_ids, whoosh_weights, keys = read_term(raw_matcher(leaf, name, term), field.positions is not None)
                assert ids.tolist() == whoosh_ids.tolist() and weights.tolist() == whoosh_weights.tolist()
                if keys is not None:
                    assert field.position_keys(term, 7).tolist() == (keys + (7 << 32)).tolist()
                checked += 1
        assert checked > 300


@pytest.mark.parametrize("term", [b"", b"\x00", b"a", b"soldat", b"soldatx", b"solda", b"\xff\xff", "zürich".encode()])
def test_a_term_is_found_exactly_or_not_at_all(index_dir, term):
    generation = store.current_generation(index_dir)
    with store.open_index(index_dir).reader() as reader:
        leaf = reader.leaf_readers()[0][0]
        body = postfiles.PostingsFile.open(postfiles.path_for(generation, leaf.segment())).fields["body"]
        expected = raw_matcher(leaf, "body", term)
        ids, weights = body.postings(term)
        assert ids.tolist() == (read_term(expected)[0].tolist() if expected is not None else [])
        assert (body.find(term) >= 0) == (expected is not None)
        if expected is None:
            assert not len(weights) and not len(body.position_keys(term, 0))


def test_a_closed_file_reads_nothing(index_dir):
    """After the snapshot closed it, a file's arrays fail to read rather than read another file."""
    generation = store.current_generation(index_dir)
    with store.open_index(index_dir).reader() as reader:
        mapped = postfiles.PostingsFile.open(postfiles.path_for(generation, reader.leaf_readers()[0][0].segment()))
    body = mapped.fields["body"]
    assert len(body.postings(b"soldat")[0])
    mapped.close()
    mapped.close()  # twice: no error
    assert mapped.fields == {}
    with pytest.raises(OSError):
        body.postings(b"soldat")


def test_the_build_add_and_delete_keep_one_file_per_live_segment(tmp_path, monkeypatch):
    """Each segment's file is there before the commit lists the segment: the commit's own
    pass (for segments of older indexes) finds none missing."""
    left_to_the_commit = []
    write_missing = postfiles.write_missing
    monkeypatch.setattr(postfiles, "write_missing", lambda *a: left_to_the_commit.extend(write_missing(*a)))
    index, path = small_index(tmp_path, "Der Bundestag tagt", 5)
    segments, _ = segment_files(index)
    assert [path.name] == [f"{s}{postfiles.SUFFIX}" for s in segments]
    more = tmp_path / "b.jsonl"
    more.write_text(json.dumps({"id": "b1", "title": "Bundesrat", "text": "Der Bundesrat tagt nicht."}))
    add([more], index, BuildOptions(entities=False))
    delete(["a1"], index)
    segments, files = segment_files(index)
    assert sorted(f.name for f in files) == sorted(f"{s}{postfiles.SUFFIX}" for s in segments)
    assert left_to_the_commit == []
    with SearchService(index) as service:
        assert {hit.id for hit in service.search(SearchRequest(query="tagt")).hits} == {"a0", "a2", "a3", "a4", "b1"}
        assert [hit.id for hit in service.search(SearchRequest(query='"Bundesrat tagt"')).hits] == ["b1"]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_file_leaves_the_segment_on_whoosh(tmp_path, damage):
    index, path = small_index(tmp_path, "Russische Soldaten in Kursk", 3)
    data = path.read_bytes()
    path.write_bytes({"garbage": b"x" * 100, "truncated": data[: len(data) // 2], "empty": b""}[damage])
    assert postfiles.PostingsFile.open(path) is None
    with SearchService(index) as service:
        page = service.search(SearchRequest(query='"russische Soldaten"'))
        assert page.total == 3 and page.hits[0].snippets


def test_postings_from_files_equal_postings_from_blocks(index_dir):
    """``Postings`` (what the evaluator reads) gives the same arrays either way, with segment offsets."""
    generation = store.current_generation(index_dir)
    with store.open_index(index_dir).reader() as reader:
        files = postfiles.open_files(generation, reader.segments())
        mapped, plain = Postings(reader, PostingsCache(0), files), Postings(reader, PostingsCache(0))
        for field, term in [("body", "soldat"), ("body", "korea"), ("title", "nordkorea"), ("exact", "nordkorea"),
                            ("body", "gibtesnicht"), ("country", "Russland"), ("body", b"bundeswehr")]:
            for a, b in zip(mapped.read_postings(field, term), plain.read_postings(field, term)):
                assert a.dtype == b.dtype and a.tolist() == b.tolist()
            if field != "exact" and field != "country":
                assert mapped.read_positions(field, term).tolist() == plain.read_positions(field, term).tolist()


def test_numbers_are_narrowed_only_when_they_fit():
    assert postfiles.narrowed(np.array([1.0, 2.0, 65535.0], dtype=np.float32)).dtype == np.uint16
    for values in ([0.5, 1.0], [1.0, 65536.0], [-1.0, 2.0]):
        array = np.array(values, dtype=np.float32)
        assert postfiles.narrowed(array).dtype == np.float32
    assert postfiles.narrowed(np.array([3, 70_000], dtype=np.int32)).tolist() == [3, 70_000]


def test_positions_beyond_two_bytes_stay_whole(tmp_path):
    """A document of more than 65,536 words: its positions do not fit two bytes, and a phrase at
    its end is still found where it is."""
    filler = " ".join(f"Wort{i % 97}" for i in range(70_000))
    docs = tmp_path / "long.jsonl"
    docs.write_text(json.dumps({"id": "lang", "title": "Protokoll", "text": filler + " Russische Soldaten marschieren."})
                    + "\n" + json.dumps({"id": "kurz", "title": "Kurz", "text": "Soldaten, russische, marschieren."}))
    index = tmp_path / "index"
    build([docs], index, BuildOptions(entities=False))
    _, (path,) = segment_files(index)
    body = postfiles.PostingsFile.open(path).fields["body"]
    assert body.positions.dtype == np.int32 and body.positions.read(0, len(body.positions)).max() >= 70_000
    with SearchService(index) as service:
        assert [hit.id for hit in service.search(SearchRequest(query='"russische Soldaten marschieren"')).hits] == ["lang"]


@pytest.fixture(scope="module")
def two_segments(tmp_path_factory):
    """An index of two segments (a build, then an add), both with postings files."""
    from tests.conftest import FIXTURES

    path = tmp_path_factory.mktemp("two-segments")
    lines = (FIXTURES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    (path / "a.jsonl").write_text("\n".join(lines[: len(lines) // 2]), encoding="utf-8")
    (path / "b.jsonl").write_text("\n".join(lines[len(lines) // 2:]), encoding="utf-8")
    build([path / "a.jsonl"], path / "index", BuildOptions(entities=False))
    add([path / "b.jsonl"], path / "index", BuildOptions(entities=False))
    segments, files = segment_files(path / "index")
    assert len(segments) == 2 == len(files)
    return path / "index"


@pytest.mark.parametrize("limit", [3, 20_000])
def test_prefixes_scan_the_terms_whoosh_scans(two_segments, limit):
    """Terms and document frequencies in Whoosh's order over both segments, within the limit;
    and the compiler's expansion the same with and without the files."""
    from indexer.search.compiler import QueryCompiler

    generation = store.current_generation(two_segments)
    with store.open_index(two_segments).reader() as reader:
        files = postfiles.open_files(generation, reader.segments())
        postings = Postings(reader, PostingsCache(0), files)
        prefixes = sorted({term.decode()[:n] for term in reader.lexicon("exact") for n in (1, 2, 4)})[::3] + ["zzz", "ä"]
        assert len(prefixes) > 50
        for prefix in prefixes:
            expected = [(term.decode(), info.doc_frequency()) for term, info in reader.iter_prefix("exact", prefix)]
            assert postings.prefixed("exact", prefix, limit) == expected[:limit], prefix
            with_files = QueryCompiler(reader, lambda field, value: [], files=files).top_prefix_terms(prefix)
            assert with_files == QueryCompiler(reader, lambda field, value: []).top_prefix_terms(prefix)
        assert Postings(reader, PostingsCache(0), {}).prefixed("exact", "a", limit) is None  # Whoosh's lexicon then


def test_an_index_without_files_gets_them_at_its_next_commit(tmp_path):
    """An index built before the files existed: its next ``add`` (or ``delete``) writes them."""
    index, old_file = small_index(tmp_path, "Der Bundestag tagt", 4)
    old_file.unlink()
    with SearchService(index) as service:  # read from Whoosh meanwhile
        assert service.search(SearchRequest(query='"Bundestag tagt"')).total == 4
    delete(["a0"], index)
    segments, files = segment_files(index)
    assert [f.name for f in files] == [f"{s}{postfiles.SUFFIX}" for s in segments] == [old_file.name]
    with SearchService(index) as service:
        assert service.search(SearchRequest(query='"Bundestag tagt"')).total == 3


def test_without_pread_the_search_reads_whoosh(index_dir, monkeypatch):
    """A system without ``os.pread`` (Windows) opens no postings file and searches as before."""
    monkeypatch.delattr(postfiles.os, "pread")
    generation = store.current_generation(index_dir)
    with store.open_index(index_dir).reader() as reader:
        assert postfiles.open_files(generation, reader.segments()) == {}
