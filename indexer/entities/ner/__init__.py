"""German NER (PER, LOC, ORG) for the entity facets: data mixes, training,
exact-span evaluation.  The trained pipeline ships in ``indexer/data/ner_model``;
rebuild it with ``python -m indexer.entities.ner train`` and score it with
``python -m indexer.entities.ner evaluate FILE.jsonl``.
"""
