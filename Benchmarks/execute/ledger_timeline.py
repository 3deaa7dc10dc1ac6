#!/usr/bin/env python3
"""Where the time of a `bulk-import run` goes, from its ledger's own timestamps.

    python3 Benchmarks/execute/ledger_timeline.py STATE.jsonl [--concurrency 32] [--latency-ms 50]

Every ledger record carries `time`, taken when the executor makes the record, before the record's
write + fsync. For a job: `intent` is made just before its create is sent (the intent's fsync
comes first), `submitted` just after the response is parsed. So, per job:
  send span  = submitted.time - intent.time   (intent fsync + HTTP round trip + response parsing)
and, per submission slot (the task group starts the next job when one ends):
  slot gap   = next intent.time - submitted.time  (submitted fsync, task-group hand-off, ledger
               lookup and digest of the next job, until its intent record is made)
The k-th submission to end frees the slot that the (concurrency + k)-th intent takes.
Also: the time from the first intent back to nothing (process start is not in the ledger) and
from the last submitted to the file's end is not visible here.
Standard library only.
"""

import argparse
import json
import statistics


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("state")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--latency-ms", type=float, default=50)
    args = ap.parse_args()

    intents, submitted = {}, {}
    with open(args.state) as f:
        for line in f:
            r = json.loads(line)
            if r["event"] == "intent":
                intents.setdefault(r["job"], r["time"])
            elif r["event"] == "submitted":
                submitted[r["job"]] = r["time"]
    jobs = [j for j in intents if j in submitted]
    spans = [(submitted[j] - intents[j]) * 1e3 for j in jobs]
    it = sorted(intents.values())
    st = sorted(submitted.values())
    c = args.concurrency
    gaps = [(it[c + k] - st[k]) * 1e3 for k in range(len(st)) if c + k < len(it)]
    first, last = it[0], st[-1]
    n = len(jobs)

    def line(name, xs):
        print(f"  {name:<34} median {statistics.median(xs):7.2f}  p10 {pct(xs, 10):7.2f}  "
              f"p90 {pct(xs, 90):7.2f}  p99 {pct(xs, 99):7.2f}  max {max(xs):7.2f} ms")

    print(f"{n:,} jobs; first intent to last submitted {(last - first):.3f} s "
          f"(ideal for this part {n * args.latency_ms / 1e3 / c:.3f} s)")
    line("send span (intent -> submitted)", spans)
    line("  beyond the latency", [s - args.latency_ms for s in spans])
    line("slot gap (submitted -> next intent)", gaps)
    per_round = statistics.median(spans) + statistics.median(gaps)
    print(f"  median send span + slot gap = {per_round:.2f} ms a round "
          f"({per_round / args.latency_ms:.3f}x the latency)")
    # Ramp-up: how long until `concurrency` intents are out.
    if len(it) > c:
        print(f"  first {c} intents made within {(it[c - 1] - it[0]) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
