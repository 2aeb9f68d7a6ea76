"""A Whoosh segment writer that writes the same files with less CPU per word.

``FastSegmentWriter`` is Whoosh's ``SegmentWriter`` with three shortcuts, none of which
changes a byte of the segment (``tests/test_fastwrite.py`` compares the files):

- **Analysis once per distinct word.** The German and the exact analyser work word by
  word: their tokenizer cuts the text into words and every filter after it (lowercase,
  umlauts, accents, stopwords, compound parts, stem) maps one word to its terms without
  looking at its neighbours. So the terms of a text are the terms of each word, at that
  word's position, and a word's terms are computed once (by the field's own analyser, run
  on the word alone) and then looked up. News text repeats its words: after a few hundred
  documents nearly every word is known.
- **Postings into the pool without a call per posting** (the same items and the same
  memory accounting; the pool sorts them, so where it spills a sorted run to disk does not
  change what is written).
- **The flush a term at a time:** Whoosh hands each posting to the postings writer in
  several calls and reads its document length back from the length column it has just
  written (one file read per posting); here a term's postings go into the writer's block
  buffers at once, the lengths from columns read once, and Whoosh's own code writes the
  block, the term info and the term table.

Only fields whose analyser equals ``german_analyzer()`` or ``exact_analyzer()`` take the
first shortcut; any other field (and a value that is not a string) goes through Whoosh.
"""

from __future__ import annotations

import zlib
from array import array
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from whoosh import formats
from whoosh.codec.whoosh3 import (LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3PostingsWriter, W3TermInfo,
                                  _lenfield)
from whoosh.compat import dumps
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.util.numlists import delta_encode
from whoosh.writing import SegmentWriter

from indexer.index import postfiles
from indexer.text import compounds
from indexer.text.analyser import exact_analyzer, german_analyzer

#: distinct words kept per analyser; then the table starts over (memory stays bounded)
MAX_WORDS = 200_000
POSTING_OVERHEAD = 150  # Whoosh's PostingPool.add: bytes per posting besides its strings


class WordTerms:
    """The index terms of each distinct word under one analyser, computed once.

    ``WordTerms(german_analyzer()).positions("Die Soldaten und die Soldaten")`` ->
    ``{"soldat": [1, 4]}``: the terms of ``text`` with their word positions, in the order
    the analyser yields them (the same as ``Positions.word_values`` collects them).
    """

    def __init__(self, analyzer, max_words: int = MAX_WORDS):
        self.analyzer = analyzer
        self.findall = analyzer.items[0].expression.findall  # the analyser's own tokenizer pattern
        self.known: dict[str, tuple[str, ...]] = {}
        self.max_words = max_words

    def terms(self, word: str) -> tuple[str, ...]:
        """``Soldaten`` -> ``("soldat",)``; ``Nordkorea`` -> ``("nordkorea", "nord", "korea")``; ``der`` -> ``()``."""
        if word not in self.known:
            self.learn([word])
        return self.known[word]

    def learn(self, words: list[str]) -> None:
        """Analyses new distinct ``words`` in one call of the analyser, separated by spaces: each
        is one word of the tokenizer there too (a word cannot extend over a space), and the
        terms of the n-th word come with position n."""
        if len(self.known) + len(words) > self.max_words:
            self.known.clear()
        terms: list[list[str]] = [[] for _ in words]
        for token in self.analyzer(" ".join(words), positions=True, mode="index"):
            terms[token.pos].append(token.text)
        self.known.update(zip(words, map(tuple, terms)))

    def positions(self, text: str) -> dict[str, list[int]]:
        words = self.findall(text)
        known = self.known
        new = [word for word in dict.fromkeys(words) if word not in known]
        if new:
            if len(known) + len(new) > self.max_words:
                new = list(dict.fromkeys(words))  # the table starts over: all of this text's words
            self.learn(new)
        found: dict[str, list[int]] = {}
        for position, word in enumerate(words):
            for term in known[word]:
                at = found.get(term)
                if at is None:
                    found[term] = [position]
                else:
                    at.append(position)
        return found


def position_items(fieldobj, words: WordTerms, text: str):
    """``fieldobj.index(text)`` of a field with the ``Positions`` format."""
    boost, encode = fieldobj.format.field_boost, fieldobj.format.encode
    return [(term.encode("utf-8"), len(at), len(at) * boost, encode(at)) for term, at in words.positions(text).items()]


def frequency_items(fieldobj, words: WordTerms, text: str):
    """``fieldobj.index(text)`` of a field with the ``Frequency`` format."""
    boost, pack = fieldobj.format.field_boost, formats.pack_uint
    return [(term.encode("utf-8"), len(at), len(at) * boost, pack(len(at))) for term, at in words.positions(text).items()]


FORMAT_ITEMS = {formats.Positions: position_items, formats.Frequency: frequency_items}
_WORDS: dict[str, WordTerms] = {}  # per analyser kind, for the life of the process


def word_terms(kind: str) -> WordTerms:
    if kind not in _WORDS:
        _WORDS[kind] = WordTerms(german_analyzer() if kind == "german" else exact_analyzer())
    return _WORDS[kind]


def fast_fields(schema) -> dict:
    """Field name -> (items function, WordTerms) for the fields the word table can index."""
    kinds = (("german", german_analyzer()), ("exact", exact_analyzer()))
    found = {}
    for name, fieldobj in schema.items():
        analyzer = getattr(fieldobj, "analyzer", None)
        items = FORMAT_ITEMS.get(type(fieldobj.format))
        kind = next((kind for kind, known in kinds if analyzer == known and not analyzer.items[0].gaps), None)
        if items and kind and fieldobj.indexed and not fieldobj.vector and not fieldobj.separate_spelling():
            found[name] = (items, word_terms(kind))
    return found


class FastSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with the shortcuts above; used like it (``ix.writer`` takes the same options)."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self._fast = fast_fields(self.schema)
        compounds.dictionary().build()  # a writer splits thousands of words: the lookup tables at once

    def _index_items(self, fieldname, fieldobj, value):
        fast = self._fast.get(fieldname)
        if fast is not None and isinstance(value, str):
            items, words = fast
            return items(fieldobj, words, value)
        return fieldobj.index(value)

    def _add_postings(self, fieldname, docnum, items, fieldboost, scorable) -> int:
        """``pool.add`` of each item, with the pool's own size accounting; returns the length."""
        pool, length, size = self.pool, 0, 0
        current = pool.current
        for tbytes, freq, weight, vbytes in items:
            if scorable:
                length += freq
            current.append((fieldname, tbytes, docnum, weight * fieldboost, vbytes))
            size += POSTING_OVERHEAD + len(fieldname) + 2 * len(tbytes) + len(vbytes or "")
        pool.fieldnames.add(fieldname)
        pool.currentsize += size
        if pool.currentsize > pool.limit:
            pool.save()
        return length

    def add_document(self, **fields):
        """Whoosh's ``SegmentWriter.add_document`` for fields without vectors or spelling words
        (the schema has none); such a field, or a per-document boost, goes through Whoosh."""
        if any(name.startswith("_") for name in fields) or not self._plain(fields):
            return super().add_document(**fields)
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        fieldnames = sorted(fields)
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                fieldobj = schema[fieldname]
                length = 0
                if fieldobj.indexed:
                    items = self._index_items(fieldname, fieldobj, value)
                    length = self._add_postings(fieldname, docnum, items, 1.0, fieldobj.scorable)
                perdocwriter.add_field(fieldname, fieldobj, value if fieldobj.stored else None, length)
                column = fieldobj.column_type
                if column:
                    perdocwriter.add_column_value(fieldname, column, fieldobj.to_column_value(value))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _finalize_segment(self):
        """Whoosh's, then the segment's postings file, before the commit lists the segment: a
        reader that sees the segment sees its file (a merge of small segments also ends here)."""
        segment = super()._finalize_segment()
        postfiles.write_for_segment(Path(self.storage.folder), self.storage, self.schema, segment)
        return segment

    def _plain(self, fields) -> bool:
        schema = self.schema
        return all(name not in schema or not (schema[name].vector or schema[name].separate_spelling())
                   for name in fields)

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = MemoryLengths(self.per_document_reader()) if self.codec.length_stats else None
        if type(self.fieldwriter) is W3FieldWriter:
            add_postings(self.fieldwriter, self.schema, lengths, self.pool.iter_postings())
        else:
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if lengths:
            lengths.close()


class MemoryLengths:
    """``doc_field_length`` of a new segment's per-document reader, each length column read once."""

    def __init__(self, reader):
        self.reader = reader
        self.columns: dict[str, list | None] = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        column = self.column(fieldname)
        return default if column is None else column[docnum]

    def column(self, fieldname) -> list | None:
        column = self.columns.get(fieldname, False)
        if column is False:
            column = self.columns[fieldname] = self._read(fieldname)
        return column

    def _read(self, fieldname):
        """Whoosh's answer for every document: the length from its byte, or None for byte 0."""
        from whoosh.util.numeric import byte_to_length

        reader = self.reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if reader is None:
            return None
        return [byte_to_length(b) if b else None for b in map(reader.__getitem__, range(self.reader.doc_count_all()))]

    def close(self):
        self.reader.close()


_TERM = itemgetter(0, 1)  # (fieldname, term bytes) of a posting (fieldname, btext, docnum, weight, vbytes)


def add_postings(fieldwriter: W3FieldWriter, schema, lengths: MemoryLengths | None, items) -> None:
    """Whoosh's ``FieldWriter.add_postings`` (``codec/base.py``), a term at a time: the same
    calls to the field writer per field, and a term whose postings fit one block written by
    ``write_term`` in one go; a longer one takes Whoosh's way (``start_term``, ``add`` per
    posting, ``finish_term``)."""
    lastfn, fixed, compression = None, None, fieldwriter._codec._compression
    for (fieldname, btext), group in groupby(items, key=_TERM):
        if fieldname != lastfn:
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfn, fixed = fieldname, fieldwriter._format.fixed_value_size()
            column = lengths.column(fieldname) if lengths else None
            simple = type(fieldwriter._postwriter) is W3PostingsWriter and not fieldwriter._postwriter._byteids
            limit = fieldwriter._postwriter._blocklimit
        postings = [posting for posting in group if posting[2] != -1]  # -1: spelling words, skipped as Whoosh does
        if not postings:
            continue
        if simple and len(postings) <= limit:
            key = pack_ushort(fieldwriter._fieldid) + btext
            fieldwriter._tindex.add(key, write_term(fieldwriter._postfile, postings, column, fixed, compression))
            continue
        fieldwriter.start_term(btext)
        for _, _, docnum, weight, value in postings:
            fieldwriter.add(docnum, weight, b"" if value is None else value, 0 if column is None else column[docnum])
        fieldwriter.finish_term()
    if lastfn is not None:
        fieldwriter.finish_field()


TERM_INFO = W3TermInfo._struct


def write_term(postfile, postings: list, column: list | None, fixed: int | None, compression: int) -> bytes:
    """Writes one term's postings as one block, as ``W3PostingsWriter`` does (``add_posting``
    per posting, ``finish_postings``, ``_write_block(last=True)``), and returns the term info
    bytes ``W3TermInfo.to_bytes`` gives for it."""
    start = postfile.tell()
    docnums = [posting[2] for posting in postings]
    weights = array("f", [posting[3] for posting in postings])
    values = [value for _, _, _, _, value in postings if value]
    top = max(posting[3] for posting in postings)
    top = top if top > 0 else 0
    found = [length for length in map(column.__getitem__, docnums) if length] if column is not None else ()
    shortest, longest = (min(found), max(found)) if found else (None, 0)
    if all(w == 1.0 for w in weights):
        mini_weights = None
    elif all(w == weights[0] for w in weights):
        mini_weights = weights[0]
    else:
        mini_weights = tuple(weights)
    if fixed is None or fixed < 0:
        mini_values = tuple(values)
    else:
        mini_values = None if fixed == 0 else b"".join(values)
    deltas = tuple(delta_encode(docnums))
    data = dumps((deltas, mini_weights, mini_values), 2)
    if compression:
        data = zlib.compress(data, compression)
    info = dumps((len(docnums), docnums[-1], top, compression, length_to_byte(shortest), length_to_byte(longest)), 2)
    postfile.write(WHOOSH3_HEADER_MAGIC + pack_int(-(len(info) + len(data))) + info + data)
    length = postfile.tell() - start
    shortest_byte = 0 if shortest is None else length_to_byte(shortest)
    return (TERM_INFO.pack(False, sum(weights), len(docnums), shortest_byte, length_to_byte(longest), top, docnums[0],
                           docnums[-1]) + pack_long(start) + pack_int(length))
