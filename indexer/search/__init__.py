"""Searching: the service (the only reader), requests and results, query language, compiler
and evaluator over Whoosh, ranking, facet counting, snippets, spelling."""
