"""Dictionary-based splitting of German compounds, ranked by word frequency.

``kampfeinsatz`` -> ``["kampf", "einsatz"]``; ``verteidigungsbundnis`` -> ``["verteidigung",
"bundnis"]`` (the linking ``s`` dropped). Words are split only into known noun forms, and
only when the parts are together about as common as the whole word, so ``russland`` is
not split into ``russ`` + ``land`` and unknown words (``ukraine``) are left alone.
Input is normalised lowercase (see ``indexer.text.analyser.normalize_german``).
"""

from __future__ import annotations

import bisect
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


#: words split with lookups by binary search in the sorted lines before the lookup tables are
#: built: a search splits a few dozen words (a ``search`` process, a benchmark's first runs), a
#: build hundreds of thousands (then the dict and the set, 0.1 instead of 2 µs a lookup)
SEARCHED_WORDS = 20_000


@functools.lru_cache(maxsize=1)
def dictionary() -> Lexicon:
    """The shipped dictionary (``Lexicon``), read once."""
    return Lexicon(gzip.decompress(DICTIONARY.read_bytes()).decode("utf-8"))


class Lexicon:
    """Zipf x10 and noun flag of each word, from lines ``word TAB zipf TAB flag`` (``n`` for a
    noun form) sorted by word. ``tables()`` gives (word -> Zipf x10, noun forms): for the first
    ``SEARCHED_WORDS`` words split, views that bisect the sorted lines (10 ms to read, where the
    tables take 60 ms to build); then the dict and the set."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        if self.lines and not self.lines[-1]:
            self.lines.pop()
        self.split_words, self.built = 0, None
        self.searched = (SortedFrequencies(self.lines), SortedNouns(self.lines))

    def tables(self):
        if self.built is None:
            self.split_words += 1
            if self.split_words <= SEARCHED_WORDS:
                return self.searched
            self.build()
        return self.built

    def build(self) -> tuple[dict[str, int], frozenset[str]]:
        """The dict and the set (``SearchService.warm`` builds them at a server's start)."""
        if self.built is None:
            cells = "\t".join(self.lines).split("\t")  # word, zipf, flag, word, ...
            words, zipfs, flags = cells[0::3], cells[1::3], cells[2::3]
            self.built = dict(zip(words, map(int, zipfs))), frozenset(itertools.compress(words, flags))
        return self.built


def find_line(lines: list[str], word: str) -> tuple[int, bool] | None:
    """(Zipf x10, noun) of ``word`` by binary search in the sorted ``lines``; None if absent.
    A line sorts where its word does: the tab after the word is below any character."""
    key = word + "\t"
    at = bisect.bisect_left(lines, key)
    if at == len(lines) or not lines[at].startswith(key):
        return None
    _, zipf, flag = lines[at].split("\t")
    return int(zipf), bool(flag)


class SortedFrequencies:
    """``freqs[word]``, ``freqs.get(word, 0)`` over the sorted lines."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def get(self, word: str, default=None):
        found = find_line(self.lines, word)
        return default if found is None else found[0]

    def __getitem__(self, word: str) -> int:
        found = find_line(self.lines, word)
        if found is None:
            raise KeyError(word)
        return found[0]


class SortedNouns:
    """``word in nouns`` over the sorted lines."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def __contains__(self, word: str) -> bool:
        found = find_line(self.lines, word)
        return found is not None and found[1]


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
    freqs, nouns = dictionary().tables()
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


def modifier(text: str, nouns) -> str | None:
    """The noun form of a compound's first part, its linking element removed (``verteidigungs``)."""
    for link in LINKING:
        if link and not text.endswith(link):
            continue
        stem = text[: len(text) - len(link)] if link else text
        if len(stem) >= MIN_PART_LENGTH and stem in nouns:
            return stem
    return None
