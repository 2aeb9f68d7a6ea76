"""Snippet cost per hit: sentence segmentation, match finding, the whole ``make_snippets``.

    python -m benchmarks.snippets --index index [--hits 20] [--repeats 5]

For each query the top ``--hits`` documents are fetched once; then ``make_snippets`` runs
``--repeats`` times over their bodies with the query's highlight terms (as the service
does). Also timed alone: the sentence segmentation of the whole body ("segment all": what
boundaries stored at index time would save at most) and of the lines that hold a match
("segment used": what ``make_snippets`` segments), and finding the matches. Prints
microseconds per hit (CPU time, the fastest of the repeats) and the bodies' mean length.
Then, where this version marks entities, the cost of marking a searched entity's mentions
(``mention_spans``) and of the snippets with it, for a few entity filters. No assertions.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import click

from indexer.search import snippets
from indexer.search.query import parse_query
from indexer.search.results import SearchRequest
from indexer.search.service import SearchService, compile_query
from indexer.text.sentences import sentence_spans

QUERIES = ("Nordkorea", "Bundeswehr Mali", "Ukraine Waffen", '"russische Soldaten"', "Sanktion*",
           "Rente", "Klimaschutz Wirtschaft", "Putin NOT Selenskyj")


def hit_bodies(service: SearchService, query: str, hits: int) -> tuple[list[str], set[str], set[str]]:
    page = service.search(SearchRequest(query=query, page_size=hits, with_facets=False))
    bodies = [service.document(hit.id).body for hit in page.hits]
    with service._reading() as lease:  # the benchmark may look inside: the terms the service marks
        compiled = compile_query(lease, parse_query(query), service.ranking)
    return bodies, compiled.stems, compiled.words


def per_hit_us(run, bodies: list[str], repeats: int) -> float:
    """CPU time per body, the fastest of ``repeats`` runs (the machine is shared)."""
    times = []
    for _ in range(repeats):
        started = time.process_time()
        for body in bodies:
            run(body)
        times.append((time.process_time() - started) / len(bodies))
    return min(times) * 1e6


def segmenters(stems: set[str], words: set[str]):
    """(whole body, what this version of snippets.py segments) for the three versions: one
    regex over the whole body (before issue 13), the lines with a match (issue 13), the
    sentences with a match (issue 16)."""
    if hasattr(snippets, "_SENTENCE"):
        whole = lambda text: [m.span() for m in snippets._SENTENCE.finditer(text)]  # noqa: E731
        return whole, whole
    used = getattr(snippets, "sentence_groups", None) or getattr(snippets, "sentences_around")
    spans = {}  # body -> its matches, found before the timing
    return sentence_spans, lambda text: used(
        text, spans.get(text) or spans.setdefault(text, snippets.match_spans(text, stems, words)))


@click.command()
@click.option("--index", "index_dir", type=click.Path(path_type=Path), required=True)
@click.option("--hits", default=20, show_default=True)
@click.option("--repeats", default=5, show_default=True)
def main(index_dir: Path, hits: int, repeats: int) -> None:
    print(f"{'query':28} {'hits':>4} {'chars':>6} {'segment all':>11} {'segment used':>12} {'matches':>8} "
          f"{'snippets µs':>12}")
    totals = []
    with SearchService(index_dir) as service:
        for query in QUERIES:
            bodies, stems, words = hit_bodies(service, query, hits)
            if not bodies:
                continue
            for body in bodies:  # warm the analyser caches as a running service has them
                snippets.make_snippets(body, stems, words)
            whole, used = segmenters(stems, words)
            matches = per_hit_us(lambda b: snippets.match_spans(b, stems, words), bodies, repeats)
            for body in bodies:
                used(body)
            row = (per_hit_us(whole, bodies, repeats), per_hit_us(used, bodies, repeats),
                   matches, per_hit_us(lambda b: snippets.make_snippets(b, stems, words), bodies, repeats))
            totals.append(row)
            chars = sum(map(len, bodies)) // len(bodies)
            print(f"{query:28} {len(bodies):>4} {chars:>6} " + format_row(row))
        means = [statistics.mean(column) for column in zip(*totals)]
        print(f"{'mean':28} {'':>4} {'':>6} " + format_row(means))
        if hasattr(snippets, "mention_spans"):
            entity_rows(service, hits, repeats)


ENTITIES = (("Ukraine Waffen", "person", "Wladimir Putin"), ("Ukraine Waffen", "country", "Russland"),
            ("Bundeswehr Mali", "organisation", "NATO"), ("Bundeswehr Mali", "country", "Deutschland"))


def entity_rows(service: SearchService, hits: int, repeats: int) -> None:
    """Marking a searched entity (after issue 13): its mentions alone and the whole snippets."""
    from indexer.search.mentions import mention_pattern, mention_spans
    print(f"\n{'query + entity filter':44} {'marks/hit':>9} {'mentions µs':>11} {'snippets µs':>12}")
    for query, field, value in ENTITIES:
        bodies, stems, words = hit_bodies(service, query, hits)
        pattern = mention_pattern(((field, value),))
        found = sum(len(mention_spans(b, pattern)) for b in bodies) / len(bodies)
        alone = per_hit_us(lambda b: mention_spans(b, pattern), bodies, repeats)
        both = per_hit_us(lambda b: snippets.make_snippets(b, stems, words, mentions=pattern), bodies, repeats)
        print(f"{query + ' + ' + field + ':' + value:44} {found:>9.1f} {alone:>11.0f} {both:>12.0f}")


def format_row(row) -> str:
    return f"{row[0]:>11.0f} {row[1]:>12.0f} {row[2]:>8.0f} {row[3]:>12.0f}"


if __name__ == "__main__":
    main()
