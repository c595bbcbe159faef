"""Ingest: discover landed files and load them, byte-exact and once, into raw DuckDB tables."""
