"""Static dashboards of the billing teams, drawn with Plotly from the published marts."""
