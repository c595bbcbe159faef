"""Ingest: the landing zone loaded into schema raw by arrival day, the Great Expectations
checks on the raw feeds, the landing zone sensor and the job it starts."""
