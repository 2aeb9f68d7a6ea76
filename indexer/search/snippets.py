"""Snippets and highlighting: the best fragments of a text with the matched words marked.

A word is marked when its index terms meet the query's: through stemming (``Soldaten``
for ``Soldat``), normalisation (``Brüssel`` for ``Brussel``) and compound parts
(``Nordkorea`` for ``Korea``). Output is plain data: ``Snippet`` text with the spans of
the matches; the web and the terminal render the marks.
"""

from __future__ import annotations

import functools
import re

from indexer.text.analyser import TOKEN_PATTERN, analyze, analyze_exact
from indexer.search.results import Snippet

FRAGMENT_CHARS = 240
MAX_FRAGMENTS = 3
_WORD = re.compile(TOKEN_PATTERN)
_JOINED = re.compile(r"[\w.,'’-]")  # a character that would make a match part of a longer word
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"“”«»)]*|\n|$)")


def match_spans(text: str, stems: set[str], words: set[str]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` that match, merged and sorted.

    Each distinct word is analysed once (cached across texts); the matching ones are then
    found with one regular expression.
    """
    if not stems and not words:
        return []
    distinct = set(_WORD.findall(text))
    matching = {w for w in distinct if not stems.isdisjoint(index_terms(w))} if stems else set()
    if words:
        matching.update(w for w in distinct - matching if exact_term(w) in words)
    if not matching:
        return []
    pattern = re.compile("(?:" + "|".join(map(re.escape, sorted(matching, key=len, reverse=True)))
                         + r")(?![\w])(?![-.,'’]\w)")
    # a whole word only; the check of the character before runs on the few candidates, not
    # as a look-behind at every position of the text (that was half of a snippet's cost)
    return merge([m.span() for m in pattern.finditer(text) if not (m.start() and _JOINED.match(text, m.start() - 1))])


@functools.lru_cache(maxsize=200_000)
def index_terms(word: str) -> frozenset[str]:
    """The terms the index holds for one word (stems, compound parts), as the analyser makes them."""
    return frozenset(analyze(word, mode="index"))


@functools.lru_cache(maxsize=200_000)
def exact_term(word: str) -> str:
    terms = analyze_exact(word)
    return terms[0] if len(terms) == 1 else ""


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def shift(spans: list[tuple[int, int]], start: int, end: int, offset: int) -> tuple[tuple[int, int], ...]:
    """The spans inside ``text[start:end]``, moved to offsets in that piece plus ``offset``.

    >>> shift([(3, 8), (20, 25)], 2, 10, 2)
    ((3, 8),)
    """
    return tuple((s - start + offset, e - start + offset) for s, e in spans if s >= start and e <= end)


def make_snippets(text: str, stems: set[str], words: set[str], limit: int = MAX_FRAGMENTS) -> list[Snippet]:
    """Up to ``limit`` fragments, the sentences with the most distinct matches, in text order."""
    spans = match_spans(text, stems, words)
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]
    if not spans or not sentences:
        return [lead_fragment(text)] if text.strip() else []
    scored, seen = [], set()
    for start, end in sentences:
        inside = [(s, e) for s, e in spans if s >= start and e <= end]
        if inside and (sentence := " ".join(text[start:end].split())) not in seen:  # a repeated sentence shows once
            seen.add(sentence)
            distinct = len({text[s:e].lower() for s, e in inside})
            scored.append((distinct * 10 + len(inside), -start, start, end, inside))
    best = sorted(scored, reverse=True)[:limit]
    return [fragment(text, start, end, inside) for *_, start, end, inside in sorted(best, key=lambda b: b[2])]


def fragment(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> Snippet:
    """A sentence cut to ``FRAGMENT_CHARS`` around its first match, with ellipses."""
    while start < end and text[start].isspace():
        start += 1
    if end - start > FRAGMENT_CHARS:
        first = spans[0][0]
        start = max(start, word_boundary(text, first - FRAGMENT_CHARS // 3))
        end = min(end, word_boundary(text, start + FRAGMENT_CHARS, forward=True))
    while start < end and text[start].isspace():
        start += 1
    piece = text[start:end].rstrip()
    lead = "" if starts_sentence(text, start) else "… "
    tail = " …" if end < len(text) and not piece.endswith((".", "!", "?", "“", "\"")) else ""
    return Snippet(f"{lead}{piece}{tail}", shift(spans, start, start + len(piece), len(lead)))


def starts_sentence(text: str, pos: int) -> bool:
    """True when ``pos`` is the start of the text, a line or a sentence."""
    before = text[:pos].rstrip(" \t")
    return not before or before[-1] in ".!?:\n\"“”"


def word_boundary(text: str, pos: int, forward: bool = False) -> int:
    pos = max(0, min(len(text), pos))
    step = 1 if forward else -1
    while 0 < pos < len(text) and not text[pos].isspace():
        pos += step
    return pos


def lead_fragment(text: str) -> Snippet:
    end = word_boundary(text, FRAGMENT_CHARS, forward=True) if len(text) > FRAGMENT_CHARS else len(text)
    piece = text[:end].strip()
    tail = " …" if end < len(text) else ""
    return Snippet(piece + tail)


def highlight_paragraphs(text: str, stems: set[str], words: set[str]) -> list[Snippet]:
    """The non-blank lines of the text, each with its matches marked (document page)."""
    spans = match_spans(text, stems, words)
    out, pos = [], 0
    for paragraph in text.split("\n"):
        start = text.index(paragraph, pos) if paragraph else pos
        pos = start + len(paragraph)
        if paragraph.strip():
            out.append(Snippet(paragraph, shift(spans, start, pos, 0)))
    return out
