#!/usr/bin/env python3
"""The floor: the same N creates over C keep-alive HTTP/1.1 connections, and nothing else.

    python3 floor_client.py --url http://127.0.0.1:PORT --collection C --jobs N --concurrency C

asyncio with raw sockets: C workers, each with one connection, each sending the next create as
soon as its previous response is read. No ledger, no output per job, no JSON parsing beyond
finding `"code":0`. What is left of the wall time beyond N x latency / C is the server, the
loopback and the scheduling of C connections on this machine: no client can do much better.
Prints one JSON line like pymilvus_client.py. Standard library only.
"""

import argparse
import asyncio
import json
import resource
import sys
import time
import urllib.parse


def cpu_s():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


async def worker(host, port, path, collection, prefix, queue, ids):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while True:
            try:
                i = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            body = json.dumps({"collectionName": collection,
                               "files": [[f"bench/{prefix}/part-{i:06d}.parquet"]]}).encode()
            writer.write(b"POST " + path + b" HTTP/1.1\r\nHost: " + host.encode() +
                         b"\r\nContent-Type: application/json\r\nContent-Length: " +
                         str(len(body)).encode() + b"\r\n\r\n" + body)
            status = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            payload = await reader.readexactly(length)
            if b" 200 " not in status or b'"code":0' not in payload:
                raise RuntimeError(f"create {i}: {status!r} {payload[:200]!r}")
            ids.append(json.loads(payload)["data"]["jobId"])
    finally:
        writer.close()


async def run(args):
    u = urllib.parse.urlsplit(args.url)
    queue = asyncio.Queue()
    for i in range(args.jobs):
        queue.put_nowait(i)
    ids = []
    workers = [worker(u.hostname, u.port, b"/v2/vectordb/jobs/import/create", args.collection,
                      args.prefix, queue, ids) for _ in range(min(args.concurrency, args.jobs))]
    await asyncio.gather(*workers)
    return ids


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--collection", required=True)
    ap.add_argument("--jobs", type=int, required=True)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--prefix", default="floor")
    args = ap.parse_args()
    c0, t0 = cpu_s(), time.perf_counter()
    ids = asyncio.run(run(args))
    wall, cpu = time.perf_counter() - t0, cpu_s() - c0
    print(json.dumps({"jobs": args.jobs, "ok": len(ids), "distinct_ids": len(set(ids)), "errors": 0,
                      "wall_s": wall, "cpu_s": cpu}), flush=True)
    return 0 if len(ids) == args.jobs else 1


if __name__ == "__main__":
    sys.exit(main())
