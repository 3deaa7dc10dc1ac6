#!/usr/bin/env python3
"""A plain Python client: the same N creates from T threads, each with one keep-alive connection.

    python3 threads_client.py --url http://127.0.0.1:PORT --collection C --jobs N --threads T

What a user would write with the standard library alone (http.client, one HTTPConnection a
thread, reused for every request; a ThreadPoolExecutor-like pool over a shared queue): each
thread sends its next create as soon as its previous response is read, and parses the JSON answer
for the job id. No ledger, no output per job, no retries. Prints one JSON line like
pymilvus_client.py; `wall_s` is the submissions only (the benchmark also times the whole process).
Standard library only.
"""

import argparse
import http.client
import json
import queue
import resource
import sys
import threading
import time
import urllib.parse

PATH = "/v2/vectordb/jobs/import/create"


def cpu_s():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def worker(host, port, collection, prefix, todo, ids, errors, lock):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    try:
        while True:
            try:
                i = todo.get_nowait()
            except queue.Empty:
                return
            body = json.dumps({"collectionName": collection, "files": [[f"bench/{prefix}/part-{i:06d}.parquet"]]})
            try:
                conn.request("POST", PATH, body=body, headers=headers)
                resp = conn.getresponse()
                doc = json.loads(resp.read())
                if resp.status != 200 or doc.get("code") != 0:
                    raise RuntimeError(f"create {i}: HTTP {resp.status} {doc}")
                job_id = doc["data"]["jobId"]
                with lock:
                    ids.append(job_id)
            except Exception as e:  # noqa: BLE001 - counted and reported, never retried
                with lock:
                    errors.append(f"{e}")
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--collection", required=True)
    ap.add_argument("--jobs", type=int, required=True)
    ap.add_argument("--threads", type=int, default=32)
    ap.add_argument("--prefix", default="threads")
    args = ap.parse_args()
    u = urllib.parse.urlsplit(args.url)
    todo = queue.Queue()
    for i in range(args.jobs):
        todo.put(i)
    ids, errors, lock = [], [], threading.Lock()
    c0, t0 = cpu_s(), time.perf_counter()
    threads = [threading.Thread(target=worker, args=(u.hostname, u.port, args.collection, args.prefix, todo, ids, errors, lock))
               for _ in range(min(args.threads, args.jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = time.perf_counter() - t0, cpu_s() - c0
    print(json.dumps({"jobs": args.jobs, "ok": len(ids), "distinct_ids": len(set(ids)), "errors": len(errors),
                      "first_error": errors[0] if errors else None, "wall_s": wall, "cpu_s": cpu}), flush=True)
    return 0 if len(ids) == args.jobs else 1


if __name__ == "__main__":
    sys.exit(main())
