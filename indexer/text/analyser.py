"""The German analyser: one pipeline of small filters, the same at index and query time.

    tokenize -> lowercase -> normalise (ä->a, ß->ss, ae->a) -> stopwords -> compound parts -> stem

Compound and hyphen parts are added only when indexing (``mode="index"``): the document
word ``Nordkorea`` is indexed as ``nordkorea``, ``nord`` and ``korea``, while the query
word ``Nordkorea`` stays whole (otherwise it would also find ``Südkorea``).

Whoosh pickles analysers into the index, so every filter here is a module-level class
and the stemmer and compound dictionary are reached through module-level functions,
never held as attributes.
"""

from __future__ import annotations

import functools
import threading

import snowballstemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

from indexer.text import compounds
from indexer.text.folding import fold_accents, normalize_german

#: words: letters/digits joined by inner hyphens, dots or commas (Nord-Stream-2, G7, 100.000, 2,5)
TOKEN_PATTERN = r"\w+(?:[-.,'’]\w+)*"

#: a Snowball stemmer keeps its state while it stems ("not thread-safe", snowballstemmer's
#: README): each thread that stems gets its own (the web server searches in several threads)
_STEMMERS = threading.local()

GERMAN_STOPWORDS_RAW = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
anderm andern anderr anders auch auf aus bei bin bis bist da damit dann das dass daß dasselbe dazu dein
deine deinem deinen deiner deines dem demselben den denn denselben der derer derselbe derselben
des desselben dessen dich die dies diese dieselbe dieselben diesem diesen dieser dieses dir doch
dort du durch ein eine einem einen einer eines einig einige einigem einigen einiger einiges einmal
er es etwas euch euer eure eurem euren eurer eures für gegen gewesen hab habe haben hat hatte
hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins ist
jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen
keiner keines können könnte machen man manche manchem manchen mancher manches mein meine meinem
meinen meiner meines mich mir mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr
sein seine seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen
solcher solches soll sollte sondern sonst über um und uns unsere unserem unseren unser unseres
unter viel vom von vor während war waren warst was weg weil weiter welche welchem welchen
welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde würden
zu zum zur zwar zwischen
"""


STOPWORDS = frozenset(normalize_german(w) for w in GERMAN_STOPWORDS_RAW.split())
#: the stop filter also knows the unnormalised forms (für, über), for analysers without normalising
_STOP_FORMS = STOPWORDS | frozenset(GERMAN_STOPWORDS_RAW.split())


@functools.lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """Snowball German stem of a normalised word: ``soldaten`` -> ``soldat``."""
    if not word.isalpha():
        return word
    stem = _stemmer().stemWord(word)
    if len(stem) > 4 and stem[-1] == "s" and stem[-2] in GENITIVE_S_AFTER:
        return stem[:-1]
    return stem


def _stemmer():
    if not hasattr(_STEMMERS, "german"):
        _STEMMERS.german = snowballstemmer.stemmer("german")
    return _STEMMERS.german


#: Snowball drops a genitive "s" only after b, d, f, g, h, k, l, m, n, r, t; names need more:
#: ``Selenskyjs`` -> ``selenskyj``, ``Obamas`` -> ``obama``, ``Bolsonaros`` -> ``bolsonaro``
GENITIVE_S_AFTER = frozenset("jyao")


class GermanNormalizeFilter(Filter):
    """``Brüssel`` -> ``brussel``; ``Straße`` -> ``strasse`` (tokens already lowercase)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = normalize_german(t.text)
            yield t


class AccentFoldFilter(Filter):
    """``Erdoğan`` -> ``erdogan``, ``Traoré`` -> ``traore``: names are written both ways."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold_accents(t.text)
            yield t


class GermanStopFilter(Filter):
    """Drops German stopwords (``der``, ``und``, ``über``), keeping positions for phrases."""

    def __call__(self, tokens):
        for t in tokens:
            if t.text not in _STOP_FORMS:
                yield t


class WordPartsFilter(Filter):
    """At index time adds the parts of hyphenated and compound words after the word itself.

    ``nord-stream-2`` -> ``nord-stream-2``, ``nord``, ``stream``, ``2``;
    ``kampfeinsatz`` -> ``kampfeinsatz``, ``kampf``, ``einsatz``. Parts share the word's
    position, so phrases still match. Queries keep words whole.
    """

    def __call__(self, tokens):
        for t in tokens:
            word = t.text
            yield t
            if t.mode == "query":
                continue
            for part in word_parts(word):
                t.text = part
                yield t


class GermanStemFilter(Filter):
    """``soldaten`` -> ``soldat``; ``selenskyjs`` -> ``selenskyj``."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = stem_word(t.text)
            yield t


def word_parts(word: str) -> list[str]:
    """Parts of a hyphenated or compound word, without the word itself."""
    if "-" in word:
        pieces = [p for p in word.split("-") if p]
        parts = [p for p in pieces if p not in STOPWORDS]
        for piece in pieces:
            parts.extend(compounds.split_compound(piece))
        return parts
    return compounds.split_compound(word)


def german_analyzer(normalize: bool = True, stopwords: bool = True, parts: bool = True, stem: bool = True,
                    accents: bool = True):
    """The analyser of the title and body fields; the switches leave a step out (for
    ablations: queries are analysed by the analyser stored in the index)."""
    steps = [(normalize, GermanNormalizeFilter), (accents, AccentFoldFilter), (stopwords, GermanStopFilter),
             (parts, WordPartsFilter), (stem, GermanStemFilter)]
    analyzer = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
    for enabled, step in steps:
        if enabled:
            analyzer = analyzer | step()
    return analyzer


def exact_analyzer():
    """Unstemmed, normalised words: for prefix (``Messer*``), fuzzy and spelling queries."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | GermanNormalizeFilter() | AccentFoldFilter()


@functools.lru_cache(maxsize=1)
def _analyzers():
    return german_analyzer(), exact_analyzer()


def analyze(text: str, mode: str = "query") -> list[str]:
    """Index terms of ``text`` as the body field sees them: ``Soldaten`` -> ``["soldat"]``."""
    return [t.text for t in _analyzers()[0](text, mode=mode)]


def analyze_exact(text: str) -> list[str]:
    """Normalised unstemmed words: ``Brüssel`` -> ``["brussel"]``."""
    return [t.text for t in _analyzers()[1](text, mode="query")]

