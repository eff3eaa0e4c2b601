"""Parsing as Dagster work that can be spread out: the ``parse_reports`` job.

``shufa build`` parses in its own pool of processes. A corpus one machine cannot parse in a night
(national coverage, scans to OCR) is parsed first by this job, on the executor SHUFA_EXECUTOR
names: ``multiprocess`` (Dagster's, a process per shard) or ``dask`` (dagster-dask, on the Dask
cluster at SHUFA_DASK_SCHEDULER, or on a local one). Each shard reads its share of the files the
published warehouse does not know yet, extracts them, and writes them to the batch store
(warehouse/batch_store.py); the build that follows (in process, as always) finds them there and
only loads them. The job writes no warehouse and takes no lock, so it can run while analysts
query and before the build.

The shards are fixed ops (SHUFA_PARSE_SHARDS of them), not a dynamic fan-out: dagster-dask submits
the steps it knows when the run starts and does not run mapped steps (dagster issue #9785). A
file's shard is a digest of its path, so every shard plans alone from the folder and the
published warehouse, and no list of files travels between steps.
"""


import hashlib
import multiprocessing
import os

import dagster as dg
import duckdb

from ... import settings
from ...ingest.incremental import Previous, plan_run, stat_folder
from ...warehouse.raw_layer import read_previous
from ..resources import ParsedBatches, Publication, RawCorpus


def shard_of(path: str, shards: int) -> int:
    return int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big") % shards


def _published_previous(publication: Publication) -> Previous:
    if not publication.published.exists():
        return Previous()
    with duckdb.connect(str(publication.published), read_only=True) as con:
        return read_previous(con)


def _parse_shard_op(shard: int, shards: int) -> dg.OpDefinition:
    @dg.op(name=f"parse_shard_{shard}", out=dg.Out(dg.Nothing),
           description=f"Read and extract shard {shard} of {shards} of the files to read, into the batch store.")
    def parse_shard(context: dg.OpExecutionContext, raw_corpus: RawCorpus, publication: Publication,
                    parsed_batches: ParsedBatches) -> None:
        if multiprocessing.current_process().daemon:
            raise dg.Failure("this worker process is daemonic, so it cannot start the parsing processes that give each "
                             "file its time limit: start Dask workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")
        previous = _published_previous(publication)
        stats, _ = stat_folder(raw_corpus.root)
        plan = plan_run(stats, previous, full=raw_corpus.full_refresh)
        mine = [f for f in plan.to_read if shard_of(f.path, shards) == shard]
        # one parsing process a shard: the executor spreads the shards
        read, writer = raw_corpus.read_into(parsed_batches.store, mine, previous.to_reuse(raw_corpus.full_refresh), 1)
        context.log.info(f"shard {shard}/{shards} on pid {os.getpid()}: {len(mine)} files to read, "
                         f"{len(read.documents)} documents in the store, {len(read.failures)} failed "
                         f"(the build records them), {len(writer.written)} batch(es) written")

    return parse_shard


def parse_job(shards: int | None = None, executor: str | None = None) -> dg.JobDefinition:
    """The parse job for ``shards`` shards on ``executor`` (defaults: the SHUFA_* settings)."""
    shards = shards or settings.parse_shards()
    shard_ops = [_parse_shard_op(k, shards) for k in range(shards)]

    @dg.op(ins={f"shard_{k}": dg.In(dg.Nothing) for k in range(shards)},
           description="Every shard is parsed: the batch store holds what the build will load.")
    def parse_done(context: dg.OpExecutionContext, parsed_batches: ParsedBatches) -> None:
        context.log.info(f"{len(parsed_batches.store.batches())} batch(es) in {parsed_batches.store.root}")

    @dg.job(name="parse_reports", executor_def=executor_for(executor or settings.executor()),
            description="Parse the new report files into the batch store, spread over the executor's workers "
                        "(SHUFA_EXECUTOR); `shufa build` then loads them.")
    def parse_reports():
        parse_done(**{f"shard_{k}": op() for k, op in enumerate(shard_ops)})

    return parse_reports


def executor_for(kind: str) -> dg.ExecutorDefinition:
    """Dagster's executor for SHUFA_EXECUTOR=``kind``."""
    workers = settings.workers() or os.cpu_count() or 1
    if kind == "dask":
        try:
            from dagster_dask import dask_executor
        except ImportError as exc:
            raise RuntimeError("SHUFA_EXECUTOR=dask needs dagster-dask: pip install -e '.[dask]'") from exc

        address = settings.dask_scheduler()
        cluster = {"existing": {"address": address}} if address else \
            {"local": {"n_workers": workers, "threads_per_worker": 1, "processes": True}}
        return dask_executor.configured({"cluster": cluster})
    if kind == "multiprocess":
        return dg.multiprocess_executor.configured({"max_concurrent": workers})
    return dg.in_process_executor


def parse_reports_job(shards: int, executor: str) -> dg.JobDefinition:
    """The parse job with its resources bound (from the SHUFA_* settings; a run's config overrides
    their paths): what a multiprocess or Dask run reconstructs in each of its processes, given the
    same ``shards`` and ``executor`` as the process that started the run."""
    from ..resources import build_resources

    return dg.Definitions(jobs=[parse_job(shards, executor)], resources=build_resources()).resolve_job_def("parse_reports")


def reconstructable_parse_job(shards: int, executor: str):
    return dg.build_reconstructable_job(__name__, "parse_reports_job", reconstructable_kwargs={"shards": shards,
                                                                                               "executor": executor})


@dg.definitions
def jobs() -> dg.Definitions:
    return dg.Definitions(jobs=[parse_job()])
