"""Snippets and highlighting: the best fragments of a text with the matched words marked.

A word is marked when its index terms meet the query's: through stemming (``Soldaten``
for ``Soldat``), normalisation (``Brüssel`` for ``Brussel``) and compound parts
(``Nordkorea`` for ``Korea``). A search by entity also marks the entity's mentions
(``indexer.search.mentions``: ``Scholz`` for ``person:"Olaf Scholz"``), and sentences that
mention it are preferred. Sentences are cut by the German segmenter
(``indexer.text.sentences``: not inside ``600.000``, ``am 24. Februar`` or after ``z. B.``).
Output is plain data: ``Snippet`` text with the spans of the matches; the web and the
terminal render the marks.
"""

from __future__ import annotations

import functools
import re

from indexer.search.mentions import mention_spans
from indexer.search.occurrences import candidate_words
from indexer.search.results import Snippet
from indexer.text.analyser import TOKEN_PATTERN, analyze, analyze_exact
from indexer.text.sentences import sentence_end, sentence_start

FRAGMENT_CHARS = 240
MAX_FRAGMENTS = 3
#: a sentence mentioning the searched entity counts like this many more distinct matches
ENTITY_BONUS = 2
_WORD = re.compile(TOKEN_PATTERN)
_JOINED = re.compile(r"[\w.,'’-]")  # a character that would make a match part of a longer word


def match_spans(text: str, stems: set[str], words: set[str]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` that match, merged and sorted.

    Only the words in which a term may occur are analysed (``occurrences.candidate_words``,
    which also gives their spans), each distinct word once (cached across texts). A text
    that cannot be folded in place is tokenised whole and searched with one pattern of the
    matching words.
    """
    if not stems and not words:
        return []
    found = candidate_words(text, frozenset(stems | words))
    distinct = set(_WORD.findall(text)) if found is None else found.keys()
    matching = {w for w in distinct if not stems.isdisjoint(index_terms(w))} if stems else set()
    if words:
        matching.update(w for w in distinct - matching if exact_term(w) in words)
    if not matching:
        return []
    if found is None:
        spans = [m.span() for m in words_pattern(frozenset(matching)).finditer(text)]
    else:
        spans = sorted(span for word in matching for span in found[word])
    # a whole word only: not after a joiner (``-Nordkorea`` after a space is not marked)
    return merge([span for span in spans if not (span[0] and _JOINED.match(text, span[0] - 1))])


@functools.lru_cache(maxsize=1024)
def words_pattern(words: frozenset[str]) -> re.Pattern:
    """The words as whole words, longest first (the hits of one query share it)."""
    return re.compile("(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
                      + r")(?![\w])(?![-.,'’]\w)")


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


def make_snippets(text: str, stems: set[str], words: set[str], limit: int = MAX_FRAGMENTS,
                  mentions: re.Pattern | None = None) -> list[Snippet]:
    """Up to ``limit`` fragments, the sentences with the most distinct matches (a mention of
    the searched entity counts ``ENTITY_BONUS`` more), in text order; a repeated sentence
    shows once. Only the chosen sentences are looked up to their start."""
    named = mention_spans(text, mentions)
    spans = merge(sorted(match_spans(text, stems, words) + named))
    if not spans:
        return [lead_fragment(text)] if text.strip() else []
    scored = []
    for first, end, floor, inside in sentence_groups(text, spans):
        distinct = len({text[s:e].lower() for s, e in inside})
        bonus = ENTITY_BONUS if any(first <= s < end for s, _ in named) else 0
        scored.append(((distinct + bonus) * 10 + len(inside), -first, end, floor, inside))
    chosen, seen = [], set()
    for _, first, end, floor, inside in sorted(scored, reverse=True):
        start = sentence_start(text, -first, floor)
        if (sentence := " ".join(text[start:end].split())) not in seen:
            seen.add(sentence)
            chosen.append((start, end, inside))
            if len(chosen) == limit:
                break
    return [fragment(text, start, end, inside) for start, end, inside in sorted(chosen)]


def sentence_groups(text: str, spans: list[tuple[int, int]]):
    """``(first span start, sentence end, floor, spans)`` for each sentence that holds a span,
    in text order; ``floor`` is where the look back for its start may stop (its line's
    start or the previous such sentence's end). Only the text after each group's first
    span is segmented, up to the sentence's end: a long speech costs what its matches do."""
    groups: list[tuple[int, int, int, list[tuple[int, int]]]] = []
    line_end, end = -1, -1
    for span in spans:
        if span[0] < end:  # inside the current sentence (a span across its end belongs nowhere)
            if span[1] <= end and groups and groups[-1][1] == end:
                groups[-1][3].append(span)
            continue
        if span[0] > line_end:
            floor = text.rfind("\n", 0, span[0]) + 1
            line_end = text.find("\n", span[0])
            line_end = len(text) if line_end < 0 else line_end
        else:
            floor = end
        end = sentence_end(text, span[0], line_end)
        if span[1] <= end:
            groups.append((span[0], end, floor, [span]))
    return groups


def fragment(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> Snippet:
    """A sentence cut to ``FRAGMENT_CHARS`` around its first match, with ellipses where cut."""
    cut_start, cut_end = start, end
    if end - start > FRAGMENT_CHARS:
        first = spans[0][0]
        cut_start = max(start, word_boundary(text, first - FRAGMENT_CHARS // 3))
        cut_end = min(end, word_boundary(text, cut_start + FRAGMENT_CHARS, forward=True))
    while cut_start < cut_end and text[cut_start].isspace():
        cut_start += 1
    piece = text[cut_start:cut_end].rstrip()
    lead = "… " if cut_start > start or not starts_sentence(text, start) else ""
    tail = " …" if cut_end < end else ""
    return Snippet(f"{lead}{piece}{tail}", shift(spans, cut_start, cut_start + len(piece), len(lead)))


def starts_sentence(text: str, pos: int) -> bool:
    """True when ``pos`` follows the start of the text, a line or sentence punctuation."""
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos == 0 or text[pos - 1] in ".!?…:\n\"“”»«)"


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


def highlight_paragraphs(text: str, stems: set[str], words: set[str],
                         mentions: re.Pattern | None = None) -> list[Snippet]:
    """The non-blank lines of the text, each with its matches and entity mentions marked (document page)."""
    spans = merge(sorted(match_spans(text, stems, words) + mention_spans(text, mentions)))
    out, pos = [], 0
    for paragraph in text.split("\n"):
        start = text.index(paragraph, pos) if paragraph else pos
        pos = start + len(paragraph)
        if paragraph.strip():
            out.append(Snippet(paragraph, shift(spans, start, pos, 0)))
    return out
