"""Extract: every figure in a document's blocks, and the catalog indicators they report."""
