"""The index on disk: schema, generations and lock, the writer, per-snapshot columns."""
