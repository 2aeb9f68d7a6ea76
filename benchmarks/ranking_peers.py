"""Peer systems on the same collection and queries, each with its own German analysis.

    xapian        BM25 (Xapian's defaults), Snowball German stemmer with STEM_ALL, OR queries
    tantivy       BM25, simple tokenizer | remove_long | lowercase | German stemmer, OR queries
    whoosh-naive  Whoosh BM25F with LanguageAnalyzer("de"), OR queries of the default parser

Each returns a run, or None when its library is not installed (the caller prints nan).
Every peer gets the question's words only: punctuation, which is query syntax to them
(Whoosh reads the trailing "?" of 510 of 512 MLQA questions as a wildcard), becomes spaces.
"""

from __future__ import annotations

import re
import tempfile

from benchmarks.ranking_data import Collection, Run, ranking_to_run

DEPTH = 100
_NOT_WORD = re.compile(r"[^\w]+")


def plain_words(text: str) -> str:
    """Only the words of a question (for peers whose query language reads punctuation)."""
    return _NOT_WORD.sub(" ", text).strip()


def xapian_run(collection: Collection) -> Run | None:
    try:
        import xapian
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as directory:
        db = xapian.WritableDatabase(directory, xapian.DB_CREATE_OR_OVERWRITE)
        indexer = xapian.TermGenerator()
        indexer.set_stemmer(xapian.Stem("german"))
        indexer.set_stemming_strategy(xapian.TermGenerator.STEM_ALL)
        for doc_id, (title, text) in collection.corpus.items():
            doc = xapian.Document()
            indexer.set_document(doc)
            indexer.index_text(f"{title}\n{text}")
            doc.add_boolean_term("Q" + doc_id)
            doc.set_data(doc_id)
            db.add_document(doc)
        db.commit()
        return _xapian_search(xapian, db, collection.queries)


def _xapian_search(xapian, db, queries: dict[str, str]) -> Run:
    parser = xapian.QueryParser()
    parser.set_stemmer(xapian.Stem("german"))
    parser.set_stemming_strategy(xapian.QueryParser.STEM_ALL)
    parser.set_database(db)
    parser.set_default_op(xapian.Query.OP_OR)
    enquire = xapian.Enquire(db)
    enquire.set_weighting_scheme(xapian.BM25Weight())
    run: Run = {}
    for query_id, text in queries.items():
        enquire.set_query(parser.parse_query(plain_words(text)))
        run[query_id] = ranking_to_run([m.document.get_data().decode("utf-8") for m in enquire.get_mset(0, DEPTH)])
    return run


def tantivy_run(collection: Collection) -> Run | None:
    try:
        import tantivy
    except ImportError:
        return None
    analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(40))
                .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.stemmer("german")).build())
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("body", stored=False, tokenizer_name="de_stem")
    index = tantivy.Index(builder.build())  # in memory
    index.register_tokenizer("de_stem", analyzer)
    writer = index.writer(heap_size=50_000_000, num_threads=1)
    for doc_id, (title, text) in collection.corpus.items():
        writer.add_document(tantivy.Document(id=doc_id, body=f"{title}\n{text}"))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    run: Run = {}
    for query_id, text in collection.queries.items():
        words = plain_words(text)
        if not words:
            continue
        query = index.parse_query(words, ["body"])
        hits = searcher.search(query, DEPTH).hits
        run[query_id] = ranking_to_run([searcher.doc(address)["id"][0] for _, address in hits])
    return run


def whoosh_naive_run(collection: Collection) -> Run | None:
    from whoosh import fields, index, qparser, scoring
    from whoosh.analysis import LanguageAnalyzer

    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(analyzer=LanguageAnalyzer("de")))
    with tempfile.TemporaryDirectory() as directory:
        ix = index.create_in(directory, schema)
        writer = ix.writer()
        for doc_id, (title, text) in collection.corpus.items():
            writer.add_document(id=doc_id, body=f"{title}\n{text}")
        writer.commit()
        parser = qparser.QueryParser("body", ix.schema, group=qparser.OrGroup)
        run: Run = {}
        with ix.searcher(weighting=scoring.BM25F()) as searcher:
            for query_id, text in collection.queries.items():
                results = searcher.search(parser.parse(plain_words(text)), limit=DEPTH)
                run[query_id] = ranking_to_run([hit["id"] for hit in results])
        return run


PEERS = {"xapian": xapian_run, "tantivy": tantivy_run, "whoosh-naive": whoosh_naive_run}


def peer_runs(collection: Collection) -> dict[str, Run | None]:
    return {name: make(collection) for name, make in PEERS.items()}
