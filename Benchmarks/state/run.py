#!/usr/bin/env python3
"""Benchmark the state behind `bulk-import run`: the file ledger, PostgreSQL, and 4 runners on PostgreSQL.

    python3 Benchmarks/state/run.py [--jobs 10000] [--latency-ms 50] [--concurrency 8] [--runners 4]
                                    [--repeat 1] [--scenarios a,b,c] [--quick] [--json OUT] [--strict]

One `import-test-server --latency-ms L --no-request-log --job-limit 0` serves every run, and one
PostgreSQL (scripts/postgres-local, in a temporary folder, stopped at the end) holds a fresh
database for every PostgreSQL run. Against them, N jobs of one file each, on a collection of the
run's own, `--concurrency C` per runner:
  (a) one `bulk-import run` with the file ledger (`--state FILE`, a fresh file);
  (b) one `bulk-import run` with PostgreSQL (`--state postgres://.../FRESH_DB`);
  (c) R `bulk-import run`s at once (default 4) on one fresh PostgreSQL database, same manifest,
      started together: wall = first start to last exit, CPU summed over the R processes.
Each process is started by the launcher of Benchmarks/validate (rusage_exec.c): wall (fork to
reap), user + sys CPU, peak RSS. Best of --repeat by wall (runs interleaved a, b, c).

After every run it checks that the run was right, and fails (exit 1) if not: every process exited
0 and its summary adds up (N submitted in all, nothing failed, unknown or adopted); the state
holds N jobs, each with exactly one `submitted` record and one job id, N distinct ids; the server
lists exactly N jobs on the run's collection and their ids are the state's; and a sample of them,
described on the server, names the file of the manifest job the state gives that id to.

Goals (issue 10): (b) wall / (a) wall <= 1.1; (c) throughput / (b) throughput >= 3.5. The ideal
is N x latency / (runners x concurrency). See README.md beside this file.

Builds nothing unless --build is given: the binaries default to .build-release/release/bulk-import
and .build-release/release/import-test-server (`swift build -c release --product P
--scratch-path .build-release`), or --bin / --server-bin, or $BULK_IMPORT_BIN /
$IMPORT_TEST_SERVER_BIN. Standard library only.
"""

import argparse
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, ".out")
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(HERE))  # common, in Benchmarks/
from common import (REPO, BenchError, best, build_launcher, ensure_out_dir, exit_code, log,  # noqa: E402
                    machine, machine_line, mib, run_launched, write_json)

POSTGRES_LOCAL = os.path.join(REPO, "scripts", "postgres-local")
SCRATCH = ".build-release"

# Goals (from the issue).
GOAL_PG_OVER_FILE = 1.1       # (b) wall / (a) wall                    <= 1.1x
GOAL_RUNNERS_SPEEDUP = 3.5    # (c) throughput / (b) throughput        >= 3.5x

CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- binaries

def release_binary(flag_value, flag_name, env_name, product, build):
    """--flag, else $ENV, else .build-release/release/PRODUCT (built first with --build)."""
    if flag_value:
        path, source = flag_value, flag_name
    elif os.environ.get(env_name):
        path, source = os.environ[env_name], "$" + env_name
    else:
        path, source = os.path.join(REPO, SCRATCH, "release", product), f"{SCRATCH}/release"
        if build:
            cmd = ["swift", "build", "-c", "release", "--product", product, "--scratch-path", SCRATCH]
            log(f"$ (cd {REPO} && {' '.join(cmd)})")
            t0 = time.perf_counter()
            r = subprocess.run(cmd, cwd=REPO)
            if r.returncode != 0:
                raise BenchError(f"swift build of {product} failed (exit {r.returncode})")
            log(f"  built in {time.perf_counter() - t0:.1f} s")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        hint = "" if build else (f"; build it with `swift build -c release --product {product} "
                                 f"--scratch-path {SCRATCH}` (or pass --build), or point {env_name} at it")
        raise BenchError(f"{product} not found or not executable: {path} (from {source}){hint}")
    return path


# ---------------------------------------------------------------- the server

class Server:
    """import-test-server as a child; it stops when its stdin closes (--exit-on-stdin-close) or we exit."""

    def __init__(self, binary, latency_ms):
        self.err = tempfile.TemporaryFile(dir=OUT_DIR)
        self.argv = [binary, "--exit-on-stdin-close", "--latency-ms", str(latency_ms), "--no-request-log", "--job-limit", "0"]
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err)
        line = [None]

        def read():
            line[0] = self.proc.stdout.readline().decode("utf-8", "replace").strip()

        t = threading.Thread(target=read, daemon=True)
        t.start()
        t.join(15)
        m = re.match(r"listening on (http://\S+)$", line[0] or "")
        if not m:
            self.stop()
            raise BenchError(f"import-test-server did not start (first line {line[0]!r}); stderr:\n{self.stderr()}")
        self.url = m.group(1)

    def stderr(self):
        self.err.seek(0)
        return self.err.read().decode("utf-8", "replace")[-4000:]

    def cpu_s(self):
        return proc_cpu_s(self.proc.pid)

    def call(self, path, body):
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=120) as resp:
            doc = json.loads(resp.read())
        if doc.get("code") != 0:
            raise BenchError(f"{path} on the server failed: {doc}")
        return doc["data"]

    def job_ids(self, collection):
        """The ids of the jobs the server holds for `collection` (its Milvus v2 list call)."""
        return [r["jobId"] for r in self.call("/v2/vectordb/jobs/import/list", {"collectionName": collection})["records"]]

    def files_of(self, job_id):
        """The file groups the server reports for a job (its Milvus v2 progress call), each as
        Milvus writes it: a Go list, `[a.parquet b.parquet]`."""
        return [d["fileName"] for d in self.call("/v2/vectordb/jobs/import/get_progress", {"jobId": job_id})["details"]]

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                self.proc.wait(5)


def proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def proc_cpu_s(pid, children_reaped=False):
    """User + system CPU of a process from /proc (with its reaped children's too if asked); None without /proc."""
    try:
        fields = proc_stat(pid)
        ticks = int(fields[11]) + int(fields[12])
        if children_reaped:
            ticks += int(fields[13]) + int(fields[14])
        return ticks / CLK_TCK
    except (OSError, IndexError, ValueError):
        return None


# ---------------------------------------------------------------- PostgreSQL

class Postgres:
    """A throwaway PostgreSQL from scripts/postgres-local in a temporary folder; stop() ends it."""

    def __init__(self):
        # Under /tmp: the server runs as the `postgres` user, which must reach the folder.
        self.dir = tempfile.mkdtemp(prefix="bench-state-pg.", dir="/tmp")
        self.started = False
        cmd = [POSTGRES_LOCAL, "start", self.dir, "--watch-pid", str(os.getpid())]
        log("$ " + " ".join(shlex.quote(c) for c in cmd))
        r = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            self.stop()
            raise BenchError(f"scripts/postgres-local start failed (exit {r.returncode}):\n{r.stderr[-3000:]}")
        self.started = True
        info = dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)
        self.url = info["POSTGRES_URL"]  # trust, no password (the password URL is not used or kept)
        self.pid = int(info["POSTGRES_PID"])
        self.psql_bin = shutil.which("psql") or os.path.join(os.path.dirname(self.server_bin()), "psql")
        self.version = self.psql("SHOW server_version").strip()

    @staticmethod
    def server_bin():
        bins = sorted((d for d in os.listdir("/usr/lib/postgresql") if d.isdigit()), key=int)
        return os.path.join("/usr/lib/postgresql", bins[-1], "bin", "postgres")

    def url_for(self, database):
        u = urllib.parse.urlsplit(self.url)
        return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + database, u.query, u.fragment))

    def psql(self, sql, database=None):
        url = self.url_for(database) if database else self.url
        r = subprocess.run([self.psql_bin, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise BenchError(f"psql failed on {sql[:80]!r}: {r.stderr.strip()[-2000:]}")
        return r.stdout

    def fresh_database(self, name):
        self.psql(f"DROP DATABASE IF EXISTS {name}")
        self.psql(f"CREATE DATABASE {name}")
        return self.url_for(name)

    def cpu_s(self):
        """CPU of the whole server: the postmaster, its exited children (reaped) and its live ones."""
        total = proc_cpu_s(self.pid, children_reaped=True)
        if total is None:
            return None
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = proc_stat(int(entry))
                if int(fields[1]) == self.pid:
                    total += (int(fields[11]) + int(fields[12])) / CLK_TCK
            except (OSError, IndexError, ValueError):
                pass
        return total

    def wal_counters(self):
        """(WAL writes, WAL fsyncs) since the server started (pg_stat_wal, PostgreSQL 14 and newer)."""
        try:
            out = self.psql("SELECT wal_write, wal_sync FROM pg_stat_wal").strip()
            w, s = out.split("|")
            return int(w), int(s)
        except (BenchError, ValueError):
            return None

    def database_counters(self, database):
        """Transactions committed in `database` (every statement outside BEGIN..COMMIT is one)."""
        self.psql("SELECT pg_stat_clear_snapshot()")
        out = self.psql(f"SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted "
                        f"FROM pg_stat_database WHERE datname = '{database}'").strip()
        commit, rollback, ins, upd, dele = (int(x) for x in out.split("|"))
        return {"xact_commit": commit, "xact_rollback": rollback, "tup_inserted": ins, "tup_updated": upd,
                "tup_deleted": dele}

    def record_lines(self, database):
        return self.psql("SELECT line FROM bulk_import_records ORDER BY seq", database=database).splitlines()

    def stop(self):
        if self.started:
            r = subprocess.run([POSTGRES_LOCAL, "stop", self.dir], capture_output=True, text=True,
                               stdin=subprocess.DEVNULL)
            if r.returncode != 0:
                log(f"warning: scripts/postgres-local stop {self.dir} failed: {r.stderr.strip()[-1000:]}")
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------- running things

def write_manifest(path, n, url, collection, prefix):
    """N Milvus v2 jobs, one .parquet file each, all on the loopback server."""
    parts = ["version: 1\n", "targets:\n", "  local:\n", "    milvus:\n", f"      uri: {url}\n", "jobs:\n"]
    for i in range(n):
        parts.append(f"  - name: {prefix}-{i:06d}\n"
                     f"    target: local\n"
                     f"    collection_name: {collection}\n"
                     f"    files: [{file_of(prefix, i)}]\n")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(parts))


def file_of(prefix, i):
    return f"bench/{prefix}/part-{i:06d}.parquet"


def summary_of(stdout, label):
    """The summary event, the last line of `bulk-import run --format json`."""
    for line in reversed(stdout.strip().splitlines()):
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if doc.get("event") == "summary":
            return doc
    raise BenchError(f"{label}: no summary in its output:\n{stdout[-2000:]}")


class Bench:
    def __init__(self, args, launcher, bi, server, pg, env):
        self.args, self.launcher, self.bi, self.server, self.pg, self.env = args, launcher, bi, server, pg, env
        self.serial = 0

    def launch(self, argv, label):
        return run_launched(self.launcher, argv, self.env, label, OUT_DIR, capture_dir=OUT_DIR, outer=True)

    def run(self, scenario, n, runners):
        """One measured run of `scenario` ('a' file, 'b' PostgreSQL, 'c' runners on PostgreSQL) on n jobs."""
        self.serial += 1
        tag = f"{scenario}{self.serial}"
        collection = f"state_{tag}"
        prefix = f"s{tag}"
        manifest = os.path.join(OUT_DIR, f"manifest-{tag}.yaml")
        write_manifest(manifest, n, self.server.url, collection, prefix)
        database = None
        if scenario == "a":
            state_dir = os.path.join(OUT_DIR, "state")
            os.makedirs(state_dir, exist_ok=True)
            state = os.path.join(state_dir, f"{tag}.jsonl")
            for p in (state, state + ".lock"):
                if os.path.exists(p):
                    os.unlink(p)
        else:
            database = f"bench_{tag}"
            state = self.pg.fresh_database(database)
        argv = [self.bi, "run", manifest, "--concurrency", str(self.args.concurrency), "--state", state,
                "--format", "json"]
        label = f"bulk-import run ({scenario}, {n:,} jobs)"

        s0, p0, w0 = self.server.cpu_s(), self.pg.cpu_s(), self.pg.wal_counters()
        if runners == 1:
            t0 = time.perf_counter()
            procs = [self.launch(argv, label)]
            procs[0]["start_s"] = 0.0
            wall = procs[0]["wall_s"]
        else:
            procs = [None] * runners
            errors = [None] * runners
            barrier = threading.Barrier(runners)
            t0 = time.perf_counter()

            def one(i):
                try:
                    barrier.wait()
                    start = time.perf_counter()
                    r = self.launch(argv, f"{label}, runner {i + 1} of {runners}")
                    r["start_s"] = start - t0
                    procs[i] = r
                except BaseException as e:  # noqa: B902 - reported below
                    errors[i] = e

            threads = [threading.Thread(target=one, args=(i,)) for i in range(runners)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            failed = [e for e in errors if e is not None]
            if failed:
                raise failed[0] if isinstance(failed[0], BenchError) else BenchError(f"{label}: {failed[0]!r}")
            first = min(r["start_s"] for r in procs)
            wall = max(r["start_s"] + r["outer_s"] for r in procs) - first
        s1, p1, w1 = self.server.cpu_s(), self.pg.cpu_s(), self.pg.wal_counters()

        res = {"scenario": scenario, "jobs": n, "runners": runners, "collection": collection,
               "wall_s": wall, "cpu_s": sum(r["cpu_s"] for r in procs),
               "user_s": sum(r["user_s"] for r in procs), "sys_s": sum(r["sys_s"] for r in procs),
               "rss_kib": max(r["rss_kib"] for r in procs),
               "runner_walls_s": [r["wall_s"] for r in procs], "runner_starts_s": [r["start_s"] for r in procs],
               "runner_cpus_s": [r["cpu_s"] for r in procs], "runner_rss_kib": [r["rss_kib"] for r in procs],
               "server_cpu_s": None if s0 is None or s1 is None else s1 - s0}
        if scenario != "a":
            res["postgres_cpu_s"] = None if p0 is None or p1 is None else p1 - p0
            if w0 and w1:
                res["wal_writes"], res["wal_syncs"] = w1[0] - w0[0], w1[1] - w0[1]
        summaries = [summary_of(r["stdout"], label) for r in procs]
        res["summaries"] = summaries
        self.check(res, summaries, n, state, database, collection, prefix, label)
        if database:
            res.update(self.pg.database_counters(database))
        return res

    def check(self, res, summaries, n, state, database, collection, prefix, label):
        """That the run was right: its summaries, its state and the server agree on N jobs made once."""
        problems = []
        for i, s in enumerate(summaries):
            who = label if len(summaries) == 1 else f"runner {i + 1}"
            if s["selected"] != n:
                problems.append(f"{who}: {s['selected']} jobs selected, expected {n}")
            for key in ("adopted", "failed", "unknown", "notSubmitted", "importFailed", "unreadable"):
                if s.get(key):
                    problems.append(f"{who}: {s[key]} {key}")
            if s["submitted"] + s["skipped"] + s.get("claimedElsewhere", 0) != n:
                problems.append(f"{who}: submitted {s['submitted']} + skipped {s['skipped']} + claimed elsewhere "
                                f"{s.get('claimedElsewhere', 0)} != {n}")
        submitted = sum(s["submitted"] for s in summaries)
        if submitted != n:
            problems.append(f"{submitted} jobs submitted by all runners together, expected {n}")
        res["submitted_by_runner"] = [s["submitted"] for s in summaries]

        # The state: every record, folded by job.
        if database is None:
            with open(state, encoding="utf-8") as f:
                lines = [line for line in f if line.strip()]
        else:
            lines = self.pg.record_lines(database)
        submitted_ids = {}
        intents = 0
        for line in lines:
            rec = json.loads(line)
            if rec["event"] == "intent":
                intents += 1
            elif rec["event"] == "submitted":
                submitted_ids.setdefault(rec["job"], []).append(rec["jobIDs"])
        expected_jobs = {f"{prefix}-{i:06d}" for i in range(n)}
        if set(submitted_ids) != expected_jobs:
            problems.append(f"the state has `submitted` records for {len(submitted_ids)} jobs, "
                            f"{len(expected_jobs - set(submitted_ids))} of the manifest's missing")
        twice = [j for j, ids in submitted_ids.items() if len(ids) != 1 or len(ids[0]) != 1]
        if twice:
            problems.append(f"{len(twice)} jobs have other than one `submitted` record with one id, e.g. {twice[0]}")
        id_to_job = {ids[0][0]: j for j, ids in submitted_ids.items() if ids and ids[0]}
        if len(id_to_job) != len(submitted_ids):
            problems.append(f"the state's {len(submitted_ids)} jobs share ids: {len(id_to_job)} distinct")

        # The server: exactly the state's jobs, each file once.
        on_server = self.server.job_ids(collection)
        if len(on_server) != n or len(set(on_server)) != n:
            problems.append(f"the server holds {len(on_server)} jobs ({len(set(on_server))} distinct) "
                            f"for {collection}, expected {n}")
        if set(on_server) != set(id_to_job):
            problems.append(f"the server's job ids and the state's differ: {len(set(on_server) - set(id_to_job))} "
                            f"only on the server, {len(set(id_to_job) - set(on_server))} only in the state")
        sample = random.Random(res["jobs"] * 7919 + self.serial).sample(
            sorted(set(on_server) & set(id_to_job)), min(self.args.describe, len(id_to_job)))
        with ThreadPoolExecutor(16) as pool:
            for job_id, files in zip(sample, pool.map(self.server.files_of, sample)):
                job = id_to_job[job_id]
                want = file_of(prefix, int(job.rsplit("-", 1)[1]))
                if files != [f"[{want}]"]:
                    problems.append(f"server job {job_id} (the state's {job}) imports {files}, expected {[f'[{want}]']}")
        res.update(state_records=len(lines), state_intents=intents, state_submitted_jobs=len(submitted_ids),
                   server_jobs=len(on_server), described=len(sample))
        if problems:
            raise BenchError(f"{label} was wrong:\n  " + "\n  ".join(problems[:20]))


# ---------------------------------------------------------------- main

SCENARIOS = {
    "a": "one runner, file ledger",
    "b": "one runner, PostgreSQL",
    "c": "{R} runners, one PostgreSQL state",
}


def main(argv=None):
    ap = argparse.ArgumentParser(description="Benchmark bulk-import's file ledger against PostgreSQL (see README.md).")
    ap.add_argument("--jobs", type=int, default=10000, help="N, jobs per scenario (default %(default)s)")
    ap.add_argument("--latency-ms", type=int, default=50, help="server latency per request (default %(default)s)")
    ap.add_argument("--concurrency", type=int, default=8, help="bulk-import --concurrency of each runner (default %(default)s)")
    ap.add_argument("--runners", type=int, default=4, help="runners in scenario c (default %(default)s)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each scenario, best of (default %(default)s)")
    ap.add_argument("--scenarios", default="a,b,c", help="which of a, b, c to run (default %(default)s)")
    ap.add_argument("--describe", type=int, default=32,
                    help="jobs per run whose files are read back from the server (default %(default)s)")
    ap.add_argument("--quick", action="store_true", help="a smoke run: --jobs 1000")
    ap.add_argument("--bin", help=f"bulk-import binary (else $BULK_IMPORT_BIN, else {SCRATCH}/release)")
    ap.add_argument("--server-bin", help=f"import-test-server binary (else $IMPORT_TEST_SERVER_BIN, else {SCRATCH}/release)")
    ap.add_argument("--build", action="store_true", help=f"swift build -c release both products into {SCRATCH} first")
    ap.add_argument("--json", metavar="OUT", help="also write every number as JSON to OUT")
    ap.add_argument("--strict", action="store_true", help="exit 3 if a goal is a MISS")
    args = ap.parse_args(argv)
    if args.quick:
        args.jobs = 1000
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    if not scenarios or any(s not in SCENARIOS for s in scenarios):
        ap.error(f"--scenarios: a comma-separated list of a, b, c, not {args.scenarios!r}")
    if args.jobs < 1 or args.concurrency < 1 or args.repeat < 1 or args.runners < 1 or args.latency_ms < 0:
        ap.error("--jobs, --concurrency, --runners and --repeat must be >= 1; --latency-ms >= 0")
    N, C, R, L = args.jobs, args.concurrency, args.runners, args.latency_ms / 1000

    started = time.perf_counter()
    try:
        ensure_out_dir(OUT_DIR, "launcher, manifests and ledgers of Benchmarks/state/run.py")
        launcher = build_launcher(OUT_DIR, label="the launcher", reuse=True)
        bi = release_binary(args.bin, "--bin", "BULK_IMPORT_BIN", "bulk-import", args.build)
        server_bin = release_binary(args.server_bin, "--server-bin", "IMPORT_TEST_SERVER_BIN", "import-test-server",
                                    args.build)
    except BenchError as e:
        log(f"error: {e}")
        return 1

    env = dict(os.environ)
    env.setdefault("LC_ALL", "C.UTF-8")
    env["NO_COLOR"] = "1"

    server = pg = None
    res = {}
    samples = {s: [] for s in scenarios}
    try:
        server = Server(server_bin, args.latency_ms)
        pg = Postgres()
        log(f"bulk-import:        {bi}")
        log(f"import-test-server: {server_bin} at {server.url} ({' '.join(server.argv[1:])})")
        log(f"PostgreSQL:         {pg.version} at {urllib.parse.urlsplit(pg.url).netloc} (scripts/postgres-local, "
            f"data in {pg.dir}; fsync {pg.psql('SHOW fsync').strip()}, "
            f"synchronous_commit {pg.psql('SHOW synchronous_commit').strip()})")
        log(f"machine:            {machine_line()}; "
            f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        log(f"N = {N:,} jobs, latency {args.latency_ms} ms, concurrency {C}: ideal N x latency / concurrency = "
            f"{N * L / C:.3f} s for one runner, {N * L / (C * R):.3f} s for {R}")
        log()
        b = Bench(args, launcher, bi, server, pg, env)

        # Warm-up (not measured): page in the binaries, the PostgreSQL server and its catalogs.
        for s in scenarios:
            b.run(s, min(N, 64), R if s == "c" else 1)

        def show(s, r):
            name = SCENARIOS[s].format(R=R)
            extra = ""
            if s != "a":
                extra = (f"; postgres cpu {r.get('postgres_cpu_s') or 0:5.2f} s, "
                         f"{r['xact_commit'] / N:.2f} xacts/job, {r.get('wal_syncs', 0) / N:.2f} WAL fsyncs/job")
            if s == "c":
                extra += f"; submitted by runner {r['submitted_by_runner']}"
            log(f"  ({s}) {name:<34} wall {r['wall_s']:7.3f} s  cpu {r['cpu_s']:6.3f} s  "
                f"rss {r['rss_kib'] / 1024:6.1f} MiB  server cpu {r['server_cpu_s'] or 0:5.2f} s{extra}")

        for _ in range(args.repeat):
            for s in scenarios:
                r = b.run(s, N, R if s == "c" else 1)
                samples[s].append(r)
                show(s, r)
        for s, runs in samples.items():
            res[s] = best(runs)
            for r in runs:
                r.pop("summaries", None)
            res[s].pop("summaries", None)
    except BenchError as e:
        log()
        log(f"FAILED: {e}")
        if server is not None and server.proc.poll() is not None:
            log(f"import-test-server had exited with {server.proc.returncode}; its stderr:\n{server.stderr()}")
        return 1
    finally:
        if pg is not None:
            pg.stop()
        if server is not None:
            server.stop()
    log()

    # ------------------------------------------------------------ the table
    rows = []
    for s in scenarios:
        r = res[s]
        runners = r["runners"]
        ideal = N * L / (C * runners)
        row = {"scenario": s, "name": SCENARIOS[s].format(R=R), "runners": runners, "wall_s": r["wall_s"],
               "jobs_per_s": N / r["wall_s"], "ideal_s": ideal, "over_ideal": r["wall_s"] / ideal,
               "cpu_ms_per_job": r["cpu_s"] / N * 1e3, "rss_kib": r["rss_kib"],
               "postgres_cpu_ms_per_job": (r["postgres_cpu_s"] / N * 1e3) if r.get("postgres_cpu_s") is not None else None,
               "xacts_per_job": r["xact_commit"] / N if "xact_commit" in r else None,
               "wal_syncs_per_job": r["wal_syncs"] / N if "wal_syncs" in r else None}
        rows.append(row)

    hdr = (f"{'scenario':<42} {'wall s':>9} {'jobs/s':>8} {'/ideal':>8} {'CPU ms/job':>11} {'max RSS MiB':>12}"
           f" {'PG CPU ms/job':>14} {'xacts/job':>10}")
    log(f"N = {N:,} jobs, {args.latency_ms} ms a request, concurrency {C} per runner; best of {args.repeat} by wall")
    log(hdr)
    log("-" * len(hdr))
    for row in rows:
        pgc = "-" if row["postgres_cpu_ms_per_job"] is None else f"{row['postgres_cpu_ms_per_job']:.3f}"
        xa = "-" if row["xacts_per_job"] is None else f"{row['xacts_per_job']:.2f}"
        log(f"({row['scenario']}) {row['name']:<38} {row['wall_s']:9.3f} {row['jobs_per_s']:8.1f} "
            f"{row['over_ideal']:7.2f}x {row['cpu_ms_per_job']:11.3f} {mib(row['rss_kib']):>12} {pgc:>14} {xa:>10}")
    log()
    log("wall: the process, fork to reap; for c, first runner's start to last runner's exit. CPU: user + sys of")
    log("bulk-import (summed over the runners); max RSS: the largest runner. PG CPU: the PostgreSQL server's own")
    log("(postmaster and every backend), not in CPU ms/job. xacts/job: transactions committed in the run's")
    log("database (pg_stat_database; every statement outside a transaction block is one).")
    ideal_line = ", ".join(f"({row['scenario']}) {row['ideal_s']:.3f} s" for row in rows)
    log(f"ideal N x {args.latency_ms} ms / (runners x {C}): {ideal_line}")
    log()

    goals = []

    def goal(name, target, value, ok):
        goals.append({"goal": name, "target": target, "value": value,
                      "status": "N/A" if value is None else ("PASS" if ok else "MISS")})

    by = {row["scenario"]: row for row in rows}
    pg_over_file = by["b"]["wall_s"] / by["a"]["wall_s"] if "a" in by and "b" in by else None
    goal("(b) PostgreSQL wall / (a) file ledger wall", f"<= {GOAL_PG_OVER_FILE:g}x", pg_over_file,
         pg_over_file is not None and pg_over_file <= GOAL_PG_OVER_FILE)
    speedup = by["c"]["jobs_per_s"] / by["b"]["jobs_per_s"] if "b" in by and "c" in by else None
    goal(f"(c) {R} runners' throughput / (b) one runner's", f">= {GOAL_RUNNERS_SPEEDUP:g}x", speedup,
         speedup is not None and speedup >= GOAL_RUNNERS_SPEEDUP)
    log("Goals:")
    for g in goals:
        v = "no data" if g["value"] is None else f"{g['value']:.3f}x"
        log(f"  {g['status']:<4}  {g['goal']:<48} {g['target']:>9}   ({v})")
    elapsed = time.perf_counter() - started
    log()
    log(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; total benchmark time: {elapsed:.1f} s")

    if args.json:
        doc = {
            "bulk_import_bin": bi, "server_bin": server_bin, "server_argv": server.argv,
            "postgres_version": pg.version, "machine": machine(),
            "jobs": N, "latency_ms": args.latency_ms, "concurrency": C, "runners": R, "repeat": args.repeat,
            "results": res, "samples": samples, "table": rows, "goals": goals, "elapsed_s": elapsed,
            "units": {"wall_s": "seconds", "cpu_s": "seconds user+sys", "rss_kib": "KiB ru_maxrss"},
        }
        write_json(args.json, doc)
    return exit_code(args.strict, goals)


if __name__ == "__main__":
    sys.exit(main())
