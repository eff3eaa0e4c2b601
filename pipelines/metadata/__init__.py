"""Document metadata: which county, which year, what kind of report, by whom."""
