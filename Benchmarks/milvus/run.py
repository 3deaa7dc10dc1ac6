#!/usr/bin/env python3
"""A real run against a real Milvus 2.3.5 (scripts/milvus-local): N jobs (default 20) of one
Parquet file each, submitted and followed to completion by `bulk-import run --wait`, and, in the
same run against the same server, by a plain sequential Python client (create each task, then
poll them all), the loop a user would otherwise write. Both must leave exactly N x ROWS rows.

  python3 Benchmarks/milvus/run.py [--jobs 20] [--rows 5000] [--dim 32] [--concurrency 8]

Needs the release binary (swift build -c release --product bulk-import). Starts its own server
unless MILVUS_HTTP_URI is set, and stops it at the end. Prints a table; --json OUT keeps numbers.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "milvus-local")


def local(*args):
    return subprocess.run([SCRIPT, *args], check=True, capture_output=True, text=True).stdout


def http(uri, method, path, body):
    data = json.dumps(body).encode()
    request = urllib.request.Request(uri + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def count(collection):
    return int(local("collection", "count", collection).strip())


def write_files(folder, n, rows, dim):
    files = []
    for i in range(n):
        out = os.path.join(folder, f"f{i}")
        files += local("data", "--out", out, "--rows", str(rows), "--dim", str(dim), "--format", "parquet",
                       "--start", str(i * rows)).split()
    return files


def run_tool(binary, uri, collection, files, concurrency, folder):
    manifest = os.path.join(folder, "bench.yaml")
    with open(manifest, "w") as f:
        f.write(f"version: 1\ntargets:\n  local:\n    milvus:\n      uri: {uri}\n      api: v1\njobs:\n")
        for i, path in enumerate(files):
            f.write(f"  - {{name: job-{i}, target: local, collection_name: {collection}, files: [{path}]}}\n")
    state = os.path.join(folder, "state.jsonl")
    start = time.monotonic()
    proc = subprocess.run([binary, "run", manifest, "--wait", "--poll-interval", "0.5", "--concurrency", str(concurrency),
                           "--format", "json", "--state", state], capture_output=True, text=True)
    wall = time.monotonic() - start
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    summary = events[-1] if events else {}
    if proc.returncode != 0 or summary.get("completed") != len(files):
        sys.exit(f"bulk-import failed (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return wall


def run_plain(uri, collection, files):
    start = time.monotonic()
    tasks = []
    for path in files:
        answer = http(uri, "POST", "/api/v1/import", {"collection_name": collection, "files": [path]})
        if answer.get("status"):
            sys.exit(f"create failed: {answer}")
        tasks += answer["tasks"]
    pending = set(tasks)
    while pending:
        for task in list(pending):
            state = http(uri, "GET", "/api/v1/import/state", {"task": task})
            if state.get("state") in (1, 7):
                sys.exit(f"task {task} failed: {state}")
            if state.get("state") == 6:
                pending.discard(task)
        if pending:
            time.sleep(0.5)
    return time.monotonic() - start


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--jobs", type=int, default=20)
    p.add_argument("--rows", type=int, default=5000)
    p.add_argument("--dim", type=int, default=32)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--bin", default=os.path.join(ROOT, ".build/release/bulk-import"))
    p.add_argument("--json")
    a = p.parse_args()
    if not os.access(a.bin, os.X_OK):
        sys.exit(f"{a.bin} is missing: swift build -c release --product bulk-import")
    started = "MILVUS_HTTP_URI" not in os.environ
    if started:
        for line in local("start").splitlines():
            key, _, value = line.partition("=")
            os.environ[key] = value
    uri = os.environ["MILVUS_HTTP_URI"]
    try:
        version = "2.3.5 (PyPI milvus==2.3.5, embedded etcd, local storage)"
        with tempfile.TemporaryDirectory(dir=os.environ.get("MILVUS_DATA")) as folder:
            files = write_files(folder, a.jobs, a.rows, a.dim)
            results = {}
            for name, collection, action in [
                ("bulk-import run --wait", "bench_tool", lambda c: run_tool(a.bin, uri, c, files, a.concurrency, folder)),
                ("plain Python loop (create all, poll all)", "bench_plain", lambda c: run_plain(uri, c, files)),
            ]:
                local("collection", "create", collection, "--dim", str(a.dim))
                wall = action(collection)
                rows = count(collection)
                if rows != a.jobs * a.rows:
                    sys.exit(f"{name}: {rows} rows, expected {a.jobs * a.rows}")
                results[name] = wall
        print(f"Milvus {version}; {a.jobs} jobs x {a.rows} rows (dim {a.dim}, Parquet), submitted and followed to Completed")
        print(f"{'client':44} {'wall':>8} {'per job':>9}")
        for name, wall in results.items():
            print(f"{name:44} {wall:7.2f}s {wall / a.jobs * 1000:7.0f}ms")
        tool, plain = list(results.values())
        print(f"ratio plain / bulk-import: {plain / tool:.2f}x; every row counted by the server, exactly {a.jobs * a.rows} each")
        if a.json:
            with open(a.json, "w") as f:
                json.dump({"milvus": version, "jobs": a.jobs, "rows": a.rows, "dim": a.dim, "results": results}, f, indent=2)
    finally:
        if started:
            local("stop")


if __name__ == "__main__":
    main()
