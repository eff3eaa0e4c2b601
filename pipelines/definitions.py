"""The one Definitions object: everything under ``pipelines/defs/``, loaded by folder.

``dagster dev`` and ``dg dev`` find it through ``[tool.dagster]`` / ``[tool.dg]`` in
pyproject.toml; ``shufa build`` materializes the same assets in process.

Every job that writes the warehouse runs in process, the UI's and ``dagster asset materialize``'s
included: a run writes one draft of the warehouse, named for its process (settings.draft_path), and
holds the build lock for the whole run; with Dagster's default multiprocess executor each step would
open a draft of its own. The one job that does not write it, ``parse_reports`` (defs/parse/), names
its own executor (SHUFA_EXECUTOR).
"""

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions.merge(dg.load_from_defs_folder(path_within_project=Path(__file__).parent),
                                dg.Definitions(executor=dg.in_process_executor))
