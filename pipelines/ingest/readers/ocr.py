"""OCR of PDF pages that have no text layer (scans), offline, with RapidOCR.

rapidocr-onnxruntime runs PaddleOCR's PP-OCRv4 Chinese models (text detection, a 0°/180° line
classifier and recognition) on onnxruntime's CPU provider. The three .onnx files ship inside its
wheel (``rapidocr_onnxruntime/models/``, 16 MB) and are loaded from there by path: nothing is
fetched at run time, and ``model_paths()`` says where they are. The engine is built once per
process, on first use (a reading worker is long-lived), with one onnxruntime thread: the pipeline
runs one worker per core, so more threads would only compete (see docs/ocr.md for measurements).
onnxruntime's own usage telemetry (1.29 and later upload it from Linux too) is switched off:
importing this module sets ORT_DISABLE_TELEMETRY=1 (unless set), before onnxruntime is loaded.

A page is rendered at ``RENDER_DPI`` (200 dpi: a 12 pt character is 33 px, about the 48 px line
height the recogniser scales every line to, so small print keeps its detail; at 108 dpi thousands
separators in 9 pt print were read as decimal points). Finding the lines does not need that
detail and costs in proportion to the pixels, so detection runs on a copy reduced to ``DET_DPI``
and its boxes are scaled back: recognition reads crops of the full-resolution image, and a page
costs about what it would at 144 dpi.

Recognised lines become the PDF reader's line records (pdf.py's ``_Line``) and are joined into
paragraphs by the same rule as a text layer (see pdf.py's docstring): each OCR'd block carries a
``bbox`` in PDF points (x0, top, x1, bottom from the page's top-left) and a ``confidence``, the
character-weighted mean of its lines' recognition scores.
"""

from __future__ import annotations

import importlib.util
import math
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..model import Location, RawBlock
from ..normalize import normalize_text
from .pdf import _PAGE_NUMBER, _Line, _paragraphs

RENDER_DPI = 200  # pages are rendered at this resolution for recognition
DET_DPI = 110  # and lines are found on a copy at this one
MAX_RENDER_SIDE_PX = 4000  # a page larger than A3 is rendered smaller than RENDER_DPI, to bound memory
ONNX_THREADS = 1  # intra-op threads per onnxruntime session: one worker process per core
REC_BATCH = 1  # lines recognised per inference: on one thread, batches of 6 (RapidOCR's) cost twice as much a line
MIN_LINE_CONFIDENCE = 0.5  # recognised lines scoring less are dropped (RapidOCR's own default)
_POINTS_PER_INCH = 72.0

_engine = None  # the process's RapidOCR engine, built by engine() on first use

# onnxruntime 1.29+ uploads usage telemetry from Linux too, unless this is set before it is loaded
# (it reads it once, at import): set here, before anything in this module can import it
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


@dataclass(frozen=True)
class OcrLine:
    """One recognised line: its text, its box (x0, top, x1, bottom) in PDF points, and the
    recogniser's confidence (0–1)."""

    text: str
    bbox: tuple[float, float, float, float]
    confidence: float


def model_paths() -> dict[str, Path]:
    """The detection, classification and recognition models inside the installed wheel (found
    without importing the package, which loads onnxruntime)."""
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or spec.origin is None:
        raise ImportError("rapidocr-onnxruntime is not installed")
    models = Path(spec.origin).resolve().parent / "models"
    return {
        "det": models / "ch_PP-OCRv4_det_infer.onnx",
        "cls": models / "ch_ppocr_mobile_v2.0_cls_infer.onnx",
        "rec": models / "ch_PP-OCRv4_rec_infer.onnx",
    }


def engine():
    """The process's RapidOCR engine (built on first call: about half a second, models from the wheel)."""
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        paths = model_paths()
        _engine = RapidOCR(
            det_model_path=str(paths["det"]),
            cls_model_path=str(paths["cls"]),
            rec_model_path=str(paths["rec"]),
            intra_op_num_threads=ONNX_THREADS,
            inter_op_num_threads=1,
            text_score=MIN_LINE_CONFIDENCE,
            rec_batch_num=REC_BATCH,
        )
    return _engine


def render_page(page) -> tuple[np.ndarray, float]:
    """A pypdfium2 page as a greyscale image at RENDER_DPI (less for a huge page), and its scale
    in pixels per PDF point."""
    width, height = page.get_size()
    scale = min(RENDER_DPI / _POINTS_PER_INCH, MAX_RENDER_SIDE_PX / max(width, height, 1.0))
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        image = bitmap.to_numpy().copy()  # the bitmap's buffer is freed with it
    finally:
        bitmap.close()
    return image, scale


def ocr_page(image, scale: float = 1.0) -> list[OcrLine]:
    """The text lines of a page image (a numpy array, greyscale or BGR, or a PIL image), with
    boxes in PDF points given ``scale`` pixels per point (1.0: boxes in pixels), in no set order."""
    import cv2

    if not isinstance(image, np.ndarray):  # a PIL image
        image = np.asarray(image.convert("RGB"))[:, :, ::-1]
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    image = np.ascontiguousarray(image)
    ocr = engine()
    factor = min(1.0, DET_DPI / (scale * _POINTS_PER_INCH))
    small = image if factor == 1.0 else cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    boxes, _ = ocr.text_det(small)
    if boxes is None or len(boxes) == 0:
        return []
    height, width = image.shape[:2]
    boxes = np.asarray(boxes, dtype=np.float32) / np.float32(factor)
    boxes[..., 0] = boxes[..., 0].clip(0, width - 1)
    boxes[..., 1] = boxes[..., 1].clip(0, height - 1)
    boxes = [box for box in boxes if _extent(box) >= (2, 2)]
    if not boxes:
        return []
    crops = ocr.get_crop_img_list(image, boxes)
    crops, _, _ = ocr.text_cls(crops)
    recognised, _ = ocr.text_rec(crops)
    lines: list[OcrLine] = []
    for box, result in zip(boxes, recognised):
        text, score = result[0], float(result[1])
        if score < MIN_LINE_CONFIDENCE or not text.strip() or math.isnan(score):
            continue
        xs, ys = box[:, 0] / scale, box[:, 1] / scale
        bbox = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
        lines.append(OcrLine(text.strip(), tuple(round(v, 2) for v in bbox), min(1.0, max(0.0, score))))
    return lines


def _extent(box: np.ndarray) -> tuple[float, float]:
    return float(box[:, 0].max() - box[:, 0].min()), float(box[:, 1].max() - box[:, 1].min())


def _width_units(text: str) -> float:
    """A line's width in full-width characters: digits, Latin letters and ASCII punctuation are half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text if not ch.isspace()) or 1.0


def to_text_lines(lines: list[OcrLine], page_no: int) -> list[_Line]:
    """Recognised lines as the PDF reader's line records, top to bottom: boxes side by side on one
    row (the cells of a scanned table row, a line the detector split at a wide gap) become one line,
    left to right, a space standing for a gap wider than a character."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda l: (l.bbox[1] + l.bbox[3]) / 2):
        middle = (line.bbox[1] + line.bbox[3]) / 2
        if rows:
            row = rows[-1]
            top, bottom = min(l.bbox[1] for l in row), max(l.bbox[3] for l in row)
            if top < middle < bottom and _overlap(line.bbox, top, bottom) >= 0.5:
                row.append(line)
                continue
        rows.append([line])
    records: list[_Line] = []
    for row in rows:
        row.sort(key=lambda l: l.bbox[0])
        text = row[0].text
        for before, line in zip(row, row[1:]):
            gap = line.bbox[0] - before.bbox[2]
            text += (" " if gap > before.bbox[3] - before.bbox[1] else "") + line.text
        chars = sum(len("".join(l.text.split())) for l in row)
        width = sum(l.bbox[2] - l.bbox[0] for l in row)
        records.append(
            _Line(
                page=page_no,
                text=text,
                x0=row[0].bbox[0],
                x1=max(l.bbox[2] for l in row),
                top=min(l.bbox[1] for l in row),
                char_width=width / sum(_width_units(l.text) for l in row),
                bottom=max(l.bbox[3] for l in row),
                confidence=sum(l.confidence * len("".join(l.text.split())) for l in row) / max(chars, 1),
                chars=chars,
            )
        )
    return records


def _overlap(bbox, top: float, bottom: float) -> float:
    """How much of the box's height lies within [top, bottom]."""
    height = bbox[3] - bbox[1]
    return max(0.0, min(bbox[3], bottom) - max(bbox[1], top)) / height if height > 0 else 0.0


def drop_page_numbers(lines: list[_Line]) -> list[_Line]:
    """The lines without a page number ("- 3 -", "第 3 页") opening or closing the page."""
    edges = {id(line) for line in lines[:1] + lines[-1:]}
    return [line for line in lines if not (id(line) in edges and _PAGE_NUMBER.match(normalize_text(line.text)))]


def join_ocr_lines(lines: list[_Line], paragraph_no: Counter[int]) -> list[RawBlock]:
    """One OCR'd page's body lines as paragraph blocks with bbox and confidence. The margins are
    the page's own (a scan sits wherever it lay on the glass); ``paragraph_no`` counts per page."""
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    blocks: list[RawBlock] = []
    for group in _paragraphs(lines, left, right):
        page = group[0].page
        paragraph_no[page] += 1
        chars = sum(line.chars for line in group)
        confidence = sum((line.confidence or 0.0) * line.chars for line in group) / max(chars, 1)
        bbox = (
            round(min(line.x0 for line in group), 2),
            round(min(line.top for line in group), 2),
            round(max(line.x1 for line in group), 2),
            round(max(line.bottom if line.bottom is not None else line.top for line in group), 2),
        )
        blocks.append(
            RawBlock(
                text="".join(line.text for line in group),
                location=Location(page=page, paragraph=paragraph_no[page], bbox=bbox),
                confidence=round(confidence, 4),
            )
        )
    return blocks


def lines_to_blocks(lines: list[OcrLine], page_no: int, paragraph_no: Counter[int] | None = None) -> list[RawBlock]:
    """A page's recognised lines as paragraph blocks (page numbers at its top or foot dropped).
    The PDF reader does these steps itself, to drop running headers across pages as well."""
    return join_ocr_lines(drop_page_numbers(to_text_lines(lines, page_no)), paragraph_no if paragraph_no is not None else Counter())
