"""The analysts' corrections file as a warehouse table."""
