"""What the PDF reader needs to know to OCR pages without a text layer (None: no OCR)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OcrOptions:
    max_pages: int = 40  # most pages OCR'd in one document (SHUFA_OCR_MAX_PAGES)
    page_s: float = 60.0  # each OCR'd page's own time allowance (SHUFA_OCR_PAGE_S)
