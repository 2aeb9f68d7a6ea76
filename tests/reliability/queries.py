"""Hypothesis strategies for hostile search queries.

Operator soup in English and German, unbalanced quotes and brackets, unknown and known
field names with garbage values, date garbage, huge numbers, control characters, very long
words and inputs far beyond the length limit.
"""

from __future__ import annotations

from hypothesis import strategies as st

OPERATORS = ("AND", "OR", "NOT", "UND", "ODER", "NICHT", "&&", "||", "-", "+", "*", "~", "~1", "~2", "~9",
             "?", "^", "\\", "/", ":", "!", "=")
BRACKETS = ('"', '"', "„", "“", "(", ")", "[", "]", "{", "}", "'", "«", "»")
WORDS = ("Nordkorea", "Putin", "Sanktion", "Soldaten", "Straße", "STRASSE", "Brüssel", "der", "die", "und",
         "Kennung", "Meldung", "Bundeswehr", "Ukraine", "ß", "ÄÖÜ", "e", "x", "0", "1e999", "NaN", "-0")
FIELDS = ("person", "country", "org", "organisation", "source", "title", "id", "date", "mentioned",
          "Person", "DATE", "foo", "bar_baz", "ü", "x", "body", "exact", "hash", "url", "meta", "day")
DATE_VALUES = ("2024", "2024-10", "2024-10-28", "28.10.2024", "2024-13", "2024-02-30", "0000", "99999",
               "-1", "2024-1-1", "31.02.2024", "[2024-01-01 TO 2024-06-30]", "[* TO *]", "[2025 TO 2024]",
               "[2024 TO", "[TO]", "[]", "[", "]", "*", "9999-12-31", "0001-01-01", "1e9", "heute")
CONTROL = ("\x00", "\x01", "\x07", "\x08", "\t", "\n", "\r", "\x0b", "\x1b[31m", "\x7f", "\x85", "\u200b",
           "\u200e", "\u202e", "\u2028", "\ufeff", "\ufffd", "\udcff", "\U0001f600", "\u0301", "ẞ", "ﬁ")


def huge_numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(min_value=-(10**400), max_value=10**400).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.integers(min_value=20, max_value=900).map(lambda n: "9" * n),
    )


def long_words() -> st.SearchStrategy[str]:
    return st.builds(lambda ch, n, tail: ch * n + tail, st.sampled_from("aßx9Ü-*~\""),
                     st.integers(min_value=50, max_value=2000), st.sampled_from(("", "*", "~", "~2", '"')))


def field_terms() -> st.SearchStrategy[str]:
    value = st.one_of(st.sampled_from(WORDS), st.sampled_from(DATE_VALUES), st.text(max_size=12),
                      st.sampled_from(('"', '""', '"Wladimir Putin"', '"offen', "")))
    return st.builds(lambda name, v: f"{name}:{v}", st.sampled_from(FIELDS), value)


def atoms() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(OPERATORS), st.sampled_from(BRACKETS), st.sampled_from(WORDS),
        st.sampled_from(CONTROL), field_terms(), huge_numbers(),
        st.builds(lambda w, op: w + op, st.sampled_from(WORDS), st.sampled_from(("*", "~", "~2", "~1", "?", "**"))),
        st.builds(lambda op, w: op + w, st.sampled_from(("-", "+", "--", "+-", "NOT ", "(")), st.sampled_from(WORDS)),
        st.text(max_size=8),
    )


def soup() -> st.SearchStrategy[str]:
    """Operator soup: atoms joined by random separators (spaces, nothing, newlines, tabs)."""
    return st.lists(st.tuples(atoms(), st.sampled_from((" ", " ", "", "\n", "\t", "  "))), max_size=40).map(
        lambda parts: "".join(a + sep for a, sep in parts))


def oversized() -> st.SearchStrategy[str]:
    """Inputs around and far beyond the length limit, up to 10,000 characters."""
    return st.builds(lambda base, n: (base * (n // max(len(base), 1) + 1))[:n] if base else "x" * n,
                     soup(), st.sampled_from((999, 1000, 1001, 4096, 10_000)))


def any_text() -> st.SearchStrategy[str]:
    """Arbitrary Unicode, lone surrogates included (the CLI gets those from non-UTF-8 argv)."""
    return st.text(st.characters(codec=None, exclude_categories=()), max_size=200)


def hostile_queries() -> st.SearchStrategy[str]:
    return st.one_of(soup(), soup(), any_text(), long_words(), oversized(), field_terms(), huge_numbers())


def web_safe(query: str) -> str:
    """What a browser can send: no lone surrogates (a URL is UTF-8)."""
    return query.encode("utf-8", "replace").decode("utf-8")


def web_parameters() -> st.SearchStrategy[dict]:
    """Every parameter of the search page and API, each hostile or missing."""
    values = st.one_of(st.sampled_from(WORDS), st.sampled_from(DATE_VALUES), st.text(max_size=30), huge_numbers())
    return st.fixed_dictionaries({}, optional={
        "q": hostile_queries().map(web_safe), "person": st.lists(values.map(web_safe), max_size=3),
        "country": st.lists(values.map(web_safe), max_size=3), "org": st.lists(values.map(web_safe), max_size=3),
        "from": values.map(web_safe), "to": values.map(web_safe), "page": values.map(web_safe),
        "size": values.map(web_safe), "sort": st.sampled_from(("relevance", "date", "datum", "", "DATE")),
        "more": st.lists(st.sampled_from(("person", "country", "org", "x", "")), max_size=2),
        "country_find": values.map(web_safe),
    })
