"""German sentence boundaries: where a sentence ends, and where a full stop ends nothing.

    >>> [text[s:e] for text in ["Am 3. Oktober sprach Dr. Weber z. B. über 600.000 Euro. Dann ging er."]
    ...  for s, e in sentence_spans(text)]
    ['Am 3. Oktober sprach Dr. Weber z. B. über 600.000 Euro.', 'Dann ging er.']

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with closing quotes and brackets) before
white space, and at every line break (a line is a paragraph). A full stop ends nothing

* inside a number or date (``600.000``, ``24.02.``): no white space follows;
* after an ordinal, a number of up to three digits (``am 24. Februar``, ``1. FC Köln``;
  a year, ``2024.``, does end a sentence);
* after an abbreviation: a single letter (``z. B.``, ``u. a.``, ``Olaf J. Weber``), a
  dotted one (``z.B.``, ``i.d.R.``) or one of ``ABBREVIATIONS`` (``Dr.``, ``bzw.``);
* before a lower-case word (``ca. zehn``, ``usw. und``): German sentences start with a
  capital, a digit or a quote.
"""

from __future__ import annotations

import re

#: words that end with a full stop without ending the sentence (``Dr.``, ``bzw.``); ``usw.``
#: and ``etc.`` are not here: they often end one (and stay inside before a lower-case word)
ABBREVIATIONS = frozenset("""
    Abb Abg Abs Abt allg Anm Art Aufl Az Bd Bde Bez Bsp bspw bzgl bzw ca Chr Co Dipl Doz Dr Drs ebd
    ehem Einw evtl exkl Fa Feb Febr ff gem Gebr geb gegr gest ggf Hbf Hr Hrn Hrsg Ing inkl Jan Jh Jhd
    Jr jun Kap kath Kfm Kl lt Mag Mio Mill Mr Mrd Mrs Ms Nr Nrn Okt Prof Proz rd Rdnr Reg Rn Sen sen
    Sept sog Sr St Std Stellv stellv Str Tel Tsd usf Verf vgl Vors vs Ziff zit zzgl
""".split())
#: a sentence end candidate: the punctuation and what closes after it, or a line break (it
#: starts with one character class, so the regex engine skips to candidates at C speed)
_CANDIDATE = re.compile(r"[.!?…\n](?:(?<=\n)|[.!?…]*[\"'“”»«’)\]]*(?=\s))")
_DOTTED = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}|\d{1,2}\.\d{1,2}")  # z.B, i.d.R, 24.02
_OPENING = "([„“\"'«»‚"
MAX_ORDINAL_DIGITS = 3
#: how far ``sentence_start`` looks back at a time for the previous boundary
LOOK_BACK = 400


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text[start:end]`` (offsets into ``text``),
    without surrounding white space and empty ones."""
    end = len(text) if end is None else end
    spans = []
    for match in _CANDIDATE.finditer(text, start, end):
        stop = match.end()
        if text[match.start()] == "\n":
            stop = match.start()
        elif not ends_sentence(text, match.start(), stop):
            continue
        add_span(spans, text, start, stop)
        start = match.end()
    add_span(spans, text, start, end)
    return spans


def sentence_start(text: str, pos: int, start: int) -> int:
    """Where the sentence that holds ``pos`` begins: after the last boundary before ``pos``,
    looked for backwards, a window of ``LOOK_BACK`` characters at a time."""
    limit = pos
    while limit > start:
        window = max(start, limit - LOOK_BACK)
        if window > start:  # begin at white space: no candidate is cut in two there
            blank = text.rfind(" ", start, window + 1)
            window = blank if blank > start else start
        for match in reversed(list(_CANDIDATE.finditer(text, window, limit))):
            if text[match.start()] == "\n" or ends_sentence(text, match.start(), match.end()):
                return skip_space(text, match.end(), pos)
        limit = window
    return skip_space(text, start, pos)


def sentence_end(text: str, pos: int, end: int) -> int:
    """Where the sentence that holds ``pos`` ends: at the first boundary from ``pos`` on."""
    stop = end
    for match in _CANDIDATE.finditer(text, pos, end):
        if text[match.start()] == "\n":
            stop = match.start()
            break
        if ends_sentence(text, match.start(), match.end()):
            stop = match.end()
            break
    while stop > pos and text[stop - 1].isspace():
        stop -= 1
    return stop


def skip_space(text: str, start: int, limit: int) -> int:
    while start < limit and text[start].isspace():
        start += 1
    return start


def sentences(text: str) -> list[str]:
    """The sentences of ``text``: ``"Wer? Ich."`` -> ``["Wer?", "Ich."]``."""
    return [text[start:end] for start, end in sentence_spans(text)]


def add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    start = skip_space(text, start, end)
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether the punctuation ``text[start:end]`` (white space follows) ends a sentence."""
    following = text[end:end + 3].lstrip()
    if following[:1].islower():
        return False
    if text[start] != "." or text.startswith("..", start):
        return True
    return not is_abbreviation_or_ordinal(word_before(text, start))


def word_before(text: str, pos: int) -> str:
    """The token in front of ``pos``, without opening brackets or quotes: ``(z.B`` -> ``z.B``."""
    before = text[max(0, pos - 24):pos].rsplit(None, 1)
    return before[-1].lstrip(_OPENING) if before and not text[pos - 1].isspace() else ""


def is_abbreviation_or_ordinal(word: str) -> bool:
    """``Dr``, ``z``, ``z.B``, ``24``, ``24.02`` -> True; ``Euro``, ``2024``, ``600.000`` -> False."""
    if not word:
        return False
    if word.isdigit():
        return len(word) <= MAX_ORDINAL_DIGITS
    if len(word) == 1:
        return word.isalpha()
    return word in ABBREVIATIONS or _DOTTED.fullmatch(word) is not None
