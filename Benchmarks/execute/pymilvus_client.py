#!/usr/bin/env python3
"""Submit N import jobs with pymilvus's `bulk_import`, as a user's script would; print one JSON line.

    python pymilvus_client.py --url http://127.0.0.1:PORT --collection C --jobs N [--threads T]

--threads 0 (the default) is a plain loop; T > 0 submits with a ThreadPoolExecutor of T threads.
Each job is `bulk_import(url=..., collection_name=C, files=[["bench/py-.../part-XXXXXX.parquet"]])`,
one file per job, the same shape as the jobs of the bulk-import manifest.

The timed section is the submissions only: the pymilvus import (about a second of start-up) and
the interpreter start are before it. Its wall time is time.perf_counter around it; its CPU time is
the process's user + system time (resource.getrusage(RUSAGE_SELF), all threads) around it.
Exits 1 if any bulk_import raised.

Run by Benchmarks/execute/run.py with the interpreter of a venv that has pymilvus[bulk-writer].
"""

import argparse
import json
import resource
import sys
import time


def cpu_s():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--collection", required=True)
    ap.add_argument("--jobs", type=int, required=True)
    ap.add_argument("--threads", type=int, default=0, help="0: a plain loop")
    ap.add_argument("--prefix", default="py")
    args = ap.parse_args()

    t_import = time.perf_counter()
    import pymilvus
    from pymilvus.bulk_writer import bulk_import
    import_s = time.perf_counter() - t_import

    def one(i):
        resp = bulk_import(url=args.url, collection_name=args.collection,
                           files=[[f"bench/{args.prefix}/part-{i:06d}.parquet"]])
        return resp.json()["data"]["jobId"]

    errors = []
    ids = []
    c0, t0 = cpu_s(), time.perf_counter()
    if args.threads <= 0:
        for i in range(args.jobs):
            try:
                ids.append(one(i))
            except Exception as e:  # noqa: BLE001 - counted and reported
                errors.append(str(e))
    else:
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            futures = [pool.submit(one, i) for i in range(args.jobs)]
            for f in futures:
                try:
                    ids.append(f.result())
                except Exception as e:  # noqa: BLE001
                    errors.append(str(e))
    wall = time.perf_counter() - t0
    cpu = cpu_s() - c0

    print(json.dumps({
        "pymilvus": pymilvus.__version__,
        "mode": "loop" if args.threads <= 0 else f"threads={args.threads}",
        "jobs": args.jobs,
        "ok": len(ids),
        "distinct_ids": len(set(ids)),
        "errors": len(errors),
        "first_errors": errors[:3],
        "wall_s": wall,
        "cpu_s": cpu,
        "import_s": import_s,
        "maxrss_kib_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }), flush=True)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
