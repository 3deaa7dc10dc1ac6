#!/usr/bin/env python3
"""Write a realistic, VALID bulk-import manifest (version 1) of N jobs.

    python3 Benchmarks/validate/gen_manifest.py N OUT [--seed S]

About 200 bytes a job (about 2 MB per 10,000 jobs). The output is deterministic for
a given N and seed, so benchmark runs are comparable.

Mix (by weight): mostly self-hosted Milvus jobs, some Zilliz Cloud jobs.
  - Milvus: bucket-relative keys (no `s3://`, no leading `/`). A `.parquet` or
    `.json` group holds exactly one file; a `.npy` group holds several `.npy`
    files (one per field), written as a flow sequence. Every path of a group has
    the same extension. Some jobs have a partition and an `options.timeout`.
  - Zilliz: every group of `files` holds ONE url (`s3://...`, a file or a folder
    ending in `/`), with `access_key` / `secret_key` given as `$<ENV>` references.
Job names are unique and match `[A-Za-z0-9._-]+`.

Secrets are `$<NAME>` references; to validate the output, set MILVUS_TOKEN,
ZILLIZ_API_KEY, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment.
"""

import argparse
import random
import sys

HEADER = """\
# yaml-language-server: $schema=../../schemas/manifest.schema.json
version: 1
targets:
  local:
    milvus:
      uri: http://localhost:19530
      token: $<MILVUS_TOKEN>
  cloud:
    zilliz:
      url: https://api.cloud.zilliz.com
      api_key: $<ZILLIZ_API_KEY>
      cluster_id: in01-0123456789abcdef
defaults:
  options:
    timeout: 2h
jobs:
"""

# (collection name, key prefix, npy fields)
MILVUS_COLLECTIONS = [
    ("products", "products", ("id", "vector")),
    ("medium_articles", "articles", ("id", "title_vector", "reading_time")),
    ("user_events", "events/clicks", ("id", "embedding")),
    ("image_embeddings", "images/clip", ("id", "vector", "label")),
    ("docs_chunks", "rag/docs", ("id", "dense", "sparse")),
]
ZILLIZ_COLLECTIONS = [
    ("medium_articles", "articles"),
    ("products", "catalog/products"),
    ("support_tickets", "support/tickets"),
]
BUCKETS = ["bucket", "ml-data-prod", "vectors-eu-west-1"]
YEARS = ["2023", "2024", "2025"]
TIMEOUTS = ["300s", "1.5h", "1h45m", "900s", "45m"]


def job_head(out, i, coll, target, quoted=False, partition=None):
    """The lines a job starts with, up to `files:`. Its name is unique: the collection's first
    word and i."""
    out.append(f"  - name: {coll.split('_')[0]}-{i:06d}\n")
    out.append(f"    target: {target}\n")
    out.append(f'    collection_name: "{coll}"\n' if quoted else f"    collection_name: {coll}\n")
    if partition is not None:
        out.append(f"    partition_name: {partition}\n")
    out.append("    files:\n")


def milvus_job(rng, i, out):
    coll, prefix, fields = rng.choice(MILVUS_COLLECTIONS)
    year = rng.choice(YEARS)
    kind = rng.random()
    quoted = rng.random() < 0.1  # a few quoted scalars, as people write them
    partition = f"p{i % 10000:04d}" if rng.random() < 0.5 else None
    job_head(out, i, coll, "local", quoted, partition)
    if kind < 0.45:
        # Row-based parquet: one to three single-file groups.
        for g in range(rng.randint(1, 3)):
            out.append(f"      - {prefix}/{year}/part-{i:06d}-{g}.parquet\n")
    elif kind < 0.65:
        # Row-based JSON: one single-file group.
        out.append(f"      - {prefix}/{year}/rows-{i:06d}.json\n")
    elif kind < 0.9:
        # Column-based numpy: one group of one .npy file per field.
        paths = ", ".join(f"{prefix}/{year}/{i:06d}/{f}.npy" for f in fields)
        out.append(f"      - [{paths}]\n")
    else:
        # Mixed groups, as in the reference example: a parquet group and an npy group.
        out.append(f"      - {prefix}/{year}/part-{i:06d}.parquet\n")
        paths = ", ".join(f"{prefix}/{year}/{i:06d}/{f}.npy" for f in fields[:2])
        out.append(f"      - [{paths}]\n")
    if rng.random() < 0.3:
        out.append("    options:\n")
        out.append(f"      timeout: {rng.choice(TIMEOUTS)}\n")


def zilliz_job(rng, i, out):
    coll, prefix = rng.choice(ZILLIZ_COLLECTIONS)
    bucket = rng.choice(BUCKETS)
    job_head(out, i, coll, "cloud")
    if rng.random() < 0.5:
        # One folder.
        out.append(f"      - s3://{bucket}/{prefix}/{i:06d}/\n")
    else:
        # One or two files, one url per group (block-style inner list for the second).
        out.append(f"      - s3://{bucket}/{prefix}/{i:06d}/part-0.parquet\n")
        if rng.random() < 0.5:
            out.append(f"      - [s3://{bucket}/{prefix}/{i:06d}/part-1.parquet]\n")
    out.append("    access_key: $<AWS_ACCESS_KEY_ID>\n")
    out.append("    secret_key: $<AWS_SECRET_ACCESS_KEY>\n")


def generate(n, seed=42):
    """Return the manifest text for n jobs."""
    rng = random.Random(seed)
    out = [HEADER]
    for i in range(1, n + 1):
        if i > 1 and i % 1000 == 1:
            out.append(f"  # batch {i // 1000 + 1}\n")
        if rng.random() < 0.15:
            zilliz_job(rng, i, out)
        else:
            milvus_job(rng, i, out)
    return "".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of jobs (>= 1)")
    ap.add_argument("out", help="output file ('-' for stdout)")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be >= 1")
    text = generate(args.n, args.seed)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
