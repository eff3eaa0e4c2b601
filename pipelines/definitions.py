"""The one Definitions object: everything under ``pipelines/defs/``, loaded by folder.

``dagster dev`` and ``dg dev`` find it through ``[tool.dagster]`` / ``[tool.dg]`` in
pyproject.toml; ``shufa build`` materializes the same assets in process.
"""

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
