"""Entities of documents: NER (spaCy, imported lazily), persons, organisations, countries,
mentioned dates, and ``ner/`` for training and evaluating the shipped model."""
