"""Dictionary-based splitting of German compounds, ranked by word frequency.

``kampfeinsatz`` -> ``["kampf", "einsatz"]``; ``verteidigungsbundnis`` -> ``["verteidigung",
"bundnis"]`` (the linking ``s`` dropped). Words are split only into known noun forms, and
only when the parts are together about as common as the whole word, so ``russland`` is
not split into ``russ`` + ``land`` and unknown words (``ukraine``) are left alone.
Input is normalised lowercase (see ``indexer.text.analyser.normalize_german``).
"""

from __future__ import annotations

import functools
import gzip
import itertools
import re
from indexer.settings import DATA_DIR

DICTIONARY = DATA_DIR / "compounds" / "words.tsv.gz"
MIN_WORD_LENGTH = 7
MIN_PART_LENGTH = 3
LINKING = ("", "s", "es", "n", "en", "er", "e", "ns")
#: adjectives are not compounds of nouns: ``nordkoreanische`` is not ``Nordkorea`` + ``Nische``
ADJECTIVE_ENDING = re.compile(r"(?:isch|lich|ig)(?:e|en|er|es|em)?$")
#: parts together must be at least this close to the whole word's frequency (Zipf x10)
WHOLE_WORD_MARGIN = 0


@functools.lru_cache(maxsize=1)
def dictionary() -> tuple[dict[str, int], frozenset[str]]:
    """(word -> Zipf x10, set of noun forms), loaded once from the shipped file.

    Lines are ``word TAB zipf TAB flag`` (flag ``n`` for a noun form, else empty); the whole
    file is split at once rather than line by line: half the time, and every query of a
    fresh ``search`` process with a word of 7 letters or more waits for it.
    """
    cells = gzip.decompress(DICTIONARY.read_bytes()).decode("utf-8").replace("\n", "\t").split("\t")
    words, zipfs, flags = cells[0:-1:3], cells[1:-1:3], cells[2::3]
    return dict(zip(words, map(int, zipfs))), frozenset(itertools.compress(words, flags))


@functools.lru_cache(maxsize=300_000)
def split_compound(word: str) -> list[str]:
    """All parts of ``word`` (nested parts too), or ``[]`` when it is not a compound.

    ``bundesverteidigungsministerium`` -> ``bund``, ``verteidigungsministerium``,
    ``verteidigung``, ``ministerium``.
    """
    if len(word) < MIN_WORD_LENGTH or not word.isalpha() or ADJECTIVE_ENDING.search(word):
        return []
    best = best_split(word)
    if best is None:
        return []
    left, right = best
    parts = [left, right]
    for part in (left, right):
        parts.extend(p for p in split_compound(part) if p not in parts)
    return parts


def best_split(word: str) -> tuple[str, str] | None:
    """The two-part split with the highest mean frequency, if it beats keeping the word."""
    freqs, nouns = dictionary()
    best, best_score = None, -1.0
    for i in range(MIN_PART_LENGTH, len(word) - MIN_PART_LENGTH + 1):
        right = word[i:]
        if right not in nouns:
            continue
        left = modifier(word[:i], nouns)
        if left is None:
            continue
        score = (freqs[left] + freqs[right]) / 2
        if score > best_score:
            best, best_score = (left, right), score
    if best is None or best_score + WHOLE_WORD_MARGIN < freqs.get(word, 0):
        return None
    return best


def modifier(text: str, nouns: frozenset[str]) -> str | None:
    """The noun form of a compound's first part, its linking element removed (``verteidigungs``)."""
    for link in LINKING:
        if link and not text.endswith(link):
            continue
        stem = text[: len(text) - len(link)] if link else text
        if len(stem) >= MIN_PART_LENGTH and stem in nouns:
            return stem
    return None
