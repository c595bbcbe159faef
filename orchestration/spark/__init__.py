"""Apache Spark as the engine of the dbt models (``TALLYHOUSE_ENGINE=spark``).

Ingest stays in DuckDB (its manifest, exactly-once rules and quarantine are unchanged) and
then writes the raw tables as Parquet (``raw_layer``); dbt builds the same models on Spark
from them; the marts come back into the DuckDB warehouse (``marts``), from which the
checks, the period close and the publication read as they do on the default engine.
"""
