"""The code location's definitions, one folder per system (ingest, transform, billing_close,
publication), each with its assets, checks and automation; ``orchestration.definitions``
loads the folder (``dagster.load_from_defs_folder``) and adds the resources."""
