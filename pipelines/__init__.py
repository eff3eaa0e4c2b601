"""shufa: figures from Chinese county rule-of-law reports, into DuckDB.

Layers, in the order data flows: ``ingest`` (files -> normalised text blocks),
``metadata`` (which county, which year, what kind of report), ``warehouse`` (DuckDB
tables) and ``defs`` (the Dagster assets that run it all). ``cli`` is the ``shufa``
command.
"""
