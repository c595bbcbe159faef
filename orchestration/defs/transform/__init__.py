"""Transform: the dbt project as assets and checks (translator, readable docs, column
metadata), the freshness checks and their hourly schedule, the nightly rating."""
