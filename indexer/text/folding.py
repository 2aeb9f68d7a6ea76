"""One folding key for comparing values, and the German normalisation the analyser indexes.

    fold("Südkorea") == fold("SUEDKOREA") == fold("sudkorea") == "sudkorea"
    fold("Erdoğan") == fold("Erdogan") == "erdogan";  fold("Straße") == "strasse"

``fold`` compares values: a facet value typed or selected (``country=russland``), the
text of a facet's filter box, person and organisation names grouped at indexing. It
ignores case, umlauts (``ä`` ~ ``a`` ~ ``ae``, as the index does), ``ß``/``ss``, accents
and runs of spaces. ``normalize_german`` and ``fold_accents`` are the analyser's steps
for tokens (the index holds their output, so they stay exactly as they are).
"""

from __future__ import annotations

import functools
import unicodedata


@functools.lru_cache(maxsize=500_000)
def normalize_german(text: str) -> str:
    """German normalisation as Lucene's GermanNormalizationFilter does it.

    ``Brüssel`` -> ``brussel``, ``Straße`` -> ``strasse``, ``Schroeder`` -> ``schroder``;
    ``ue`` after ``q`` or a vowel stays (``Quelle``, ``Feuer``). Expects lowercase input.
    """
    out: list[str] = []
    state = _N
    for ch in text:
        if ch in "ao":
            out.append(ch)
            state = _U
        elif ch == "u":
            out.append(ch)
            state = _U if state == _N else _V
        elif ch == "e":
            if state != _U:
                out.append(ch)
            state = _V
        elif ch in "iqy":
            out.append(ch)
            state = _V
        else:
            out.append(_FOLD.get(ch, ch))
            state = _V if ch in "äöü" else _N
    return "".join(out)


_N, _V, _U = 0, 1, 2  # Lucene's states: neutral, after a vowel, after a/o/u that may take an "e"
_FOLD = {"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss"}


@functools.lru_cache(maxsize=200_000)
def fold_accents(text: str) -> str:
    """Diacritics off: ``traoré`` -> ``traore``, ``çelik`` -> ``celik`` (umlauts are folded before)."""
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """The comparison key of a value: ``Brüssel``, ``BRUESSEL`` and ``Brussel`` -> ``brussel``."""
    return " ".join(fold_accents(normalize_german(unicodedata.normalize("NFC", text.casefold()))).split())
