"""Why a file could not be ingested: a stable kind for queries, a sentence for people.

The kinds are a contract (they land in ``ingest_errors.error_kind`` and analysts filter
on them), so add new ones here rather than inventing strings at the raise site.
"""

from __future__ import annotations

ERROR_KINDS: dict[str, str] = {
    "empty_file": "the file has zero bytes",
    "too_large": "the file is larger than the configured size limit",
    "expands_too_large": "the docx archive expands past the configured limit (possible zip bomb)",
    "unsupported_format": "the file type is not one shufa reads (docx, pdf, txt, web pages, doc/wps), or a file "
                          "that is not what its extension says (an RTF named .doc)",
    "corrupt_file": "the file is truncated or damaged and cannot be parsed",
    "encrypted": "the file is password-protected",
    "no_text_layer": "the pdf has no text layer and was not OCR'd: OCR is off (SHUFA_OCR=off), past SHUFA_OCR_MAX_PAGES, "
                     "or no page shows an image; the reason says which",
    "ocr_no_text": "the pdf has no text layer and OCR found no readable text on its pages (a photo, a blank scan)",
    "unreadable_encoding": "the text encoding could not be determined",
    "no_text": "the file parsed but holds no text",
    "timeout": "reading the file took longer than the per-document limit",
    "out_of_memory": "reading the file needed more memory than the per-worker limit allows",
    "read_failed": "an unexpected error while reading the file or listing its folder",
    "file_changing": "the file changed while it was being read; it is read again on the next run",
    "refused_link": "a symlink whose target is outside the raw folder, missing, or a loop",
    "no_article": "a web page with no report in it: navigation or a list of links only, images only, or a saved error (404) page",
    "attachment_only": "a web page that only links to the report file (named in the reason): download that file instead",
    "converter_missing": "a .doc/.wps file needs LibreOffice (soffice), which is not installed",
    "conversion_failed": "LibreOffice ran but could not convert the .doc/.wps file to .docx",
    "extraction_failed": "the file was read, but extracting its figures failed or ran past the per-document limit",
}


class IngestError(Exception):
    """A file that cannot become a document. ``kind`` is one of ERROR_KINDS."""

    def __init__(self, kind: str, reason: str):
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown ingest error kind {kind!r}")
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason
