"""German news search: documents, German analysis, entities, index, search service."""

__version__ = "0.1.0"
