"""Publication: the published marts and the dashboards drawn from them, and their job."""
