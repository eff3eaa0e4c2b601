"""Ingest: turn a docx, pdf or txt file into one document model (text blocks in reading order)."""
