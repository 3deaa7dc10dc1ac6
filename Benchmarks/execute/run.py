#!/usr/bin/env python3
"""Benchmark `bulk-import run` against the loopback test server, next to pymilvus `bulk_import`.

    python3 Benchmarks/execute/run.py [--install-pymilvus] [--jobs 1000] [--latency-ms 50]
                                      [--concurrency 32] [--loop-jobs 200] [--repeat 3]
                                      [--sweep 1000,3000,10000 | --sweep none] [--quick] [--json OUT]

One `import-test-server --latency-ms L --no-request-log --job-limit 0` serves every run. Against it,
in the same run:
  (a) `bulk-import run MANIFEST --concurrency C --state FRESH` on a generated manifest of N jobs,
      best of --repeat; the whole process: wall time, CPU (user + sys) and peak RSS;
  (b) pymilvus `bulk_import` in a plain loop, on --loop-jobs jobs, extrapolated to N;
  (c) pymilvus `bulk_import` from a ThreadPoolExecutor of C threads, on N jobs, best of --repeat;
  (d) the floor: floor_client.py, asyncio with C keep-alive connections and nothing else (no
      ledger, no output), on N jobs, best of --repeat: what the server and loopback allow;
  (e) the memory sweep: `bulk-import run` at each --sweep size (peak RSS; wall against the ideal).
The ideal is N x latency / concurrency. After every run the server's job list for the run's own
collection must hold exactly the jobs it sent, and bulk-import's ledger one `submitted` record
per job. Each process is started by the small C launcher of Benchmarks/validate (rusage_exec.c,
compiled here into .out/) which reaps it with wait4: wall (fork to reap), ru_utime + ru_stime,
ru_maxrss. See README.md beside this file.

Builds nothing of the project unless --build is given: the binaries default to
.build/release/bulk-import and .build/release/import-test-server (or --bin / --server-bin, or
$BULK_IMPORT_BIN / $IMPORT_TEST_SERVER_BIN). pymilvus runs in the venv .out/venv, which
--install-pymilvus creates (pip install pymilvus[bulk-writer]); --python uses another interpreter.

Standard library only (pymilvus only in the child interpreter).
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, ".out")
VENV = os.path.join(OUT_DIR, "venv")
CLIENT = os.path.join(HERE, "pymilvus_client.py")
FLOOR = os.path.join(HERE, "floor_client.py")
THREADS = os.path.join(HERE, "threads_client.py")
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(HERE))  # common, in Benchmarks/
from common import (BenchError, best, build_launcher, ensure_out_dir, exit_code, log,  # noqa: E402
                    machine, machine_line, mib, parse_sizes, resolve_binary, run_launched,
                    write_json)

# Goals (from the issue), judged on bulk-import at --jobs.
GOAL_OVER_IDEAL = 1.1         # wall / (N x latency / concurrency)   <= 1.1x
GOAL_CPU_MS_PER_JOB = 0.5     # whole-process user+sys / N           <  0.5 ms
GOAL_MEM_FLAT = 1.25          # peak RSS at the largest sweep size / at the smallest <= 1.25x

CLK_TCK = os.sysconf("SC_CLK_TCK")


def release_binary(flag_value, flag_name, env_name, product, build):
    hint = "" if build else (f"; build it with `swift build -c release --product {product}` "
                             f"(or pass --build), or point {env_name} at it")
    return resolve_binary(flag_value, flag_name, env_name, product, build, hint=hint)[0]


def resolve_python(args):
    py = args.python or os.path.join(VENV, "bin", "python")
    if args.python:
        if shutil.which(py) is None:
            raise BenchError(f"--python {py}: not found or not executable")
    elif not os.path.exists(py):
        if not args.install_pymilvus:
            raise BenchError(f"no pymilvus venv at {VENV}; run once with --install-pymilvus "
                             f"(python3 -m venv + pip install 'pymilvus[bulk-writer]'), pass --python, "
                             f"or --skip-pymilvus")
        log(f"$ {sys.executable} -m venv {VENV}")
        if subprocess.run([sys.executable, "-m", "venv", VENV]).returncode != 0:
            raise BenchError("python3 -m venv failed")
    if args.install_pymilvus and not args.python:
        cmd = [py, "-m", "pip", "install", "-q", "pymilvus[bulk-writer]"]
        log("$ " + " ".join(shlex.quote(c) for c in cmd))
        if subprocess.run(cmd).returncode != 0:
            raise BenchError("pip install pymilvus[bulk-writer] failed")
    r = subprocess.run([py, "-c", "import pymilvus, pymilvus.bulk_writer; print(pymilvus.__version__)"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError(f"{py} cannot import pymilvus.bulk_writer (try --install-pymilvus):\n{r.stderr[-2000:]}")
    return py


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
        """The server's user + system CPU so far (from /proc; None where there is no /proc)."""
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / CLK_TCK
        except (OSError, IndexError, ValueError):
            return None

    def rss_kib(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None

    def count_jobs(self, collection):
        """Jobs the server holds for `collection` (its Milvus v2 list call)."""
        req = urllib.request.Request(self.url + "/v2/vectordb/jobs/import/list",
                                     data=json.dumps({"collectionName": collection}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=60) as resp:
            doc = json.loads(resp.read())
        if doc.get("code") != 0:
            raise BenchError(f"list on the server failed: {doc}")
        return len(doc["data"]["records"])

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


# ---------------------------------------------------------------- running things

def launch(launcher, argv, env, label):
    """Run argv through the launcher; return dict(wall_s, cpu_s, user_s, sys_s, rss_kib, stdout, stderr)."""
    return run_launched(launcher, argv, env, label, OUT_DIR, capture_dir=OUT_DIR)


def write_manifest(path, n, url, collection, prefix):
    """N Milvus v2 jobs, one .parquet file each, all on the loopback server."""
    parts = ["version: 1\n", "targets:\n", "  local:\n", "    milvus:\n", f"      uri: {url}\n", "jobs:\n"]
    for i in range(n):
        parts.append(f"  - name: {prefix}-{i:06d}\n"
                     f"    target: local\n"
                     f"    collection_name: {collection}\n"
                     f"    files: [bench/{prefix}/part-{i:06d}.parquet]\n")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(parts))


# The summary names only the counts that are not zero: "done: 64 jobs selected; 64 submitted".
SUMMARY_TEXT = re.compile(r"^done: (\d+) jobs? selected; (\d+) submitted(.*)$", re.M)


class Bench:
    def __init__(self, args, launcher, bi, python, server, env):
        self.args, self.launcher, self.bi, self.python, self.server, self.env = args, launcher, bi, python, server, env
        self.serial = 0

    def fresh_state(self, tag):
        state_dir = os.path.join(OUT_DIR, "state")
        os.makedirs(state_dir, exist_ok=True)
        path = os.path.join(state_dir, f"{tag}.jsonl")
        for p in (path, path + ".lock"):
            if os.path.exists(p):
                os.unlink(p)
        return path

    def bulk_import(self, n, tag):
        """One `bulk-import run` of n jobs on a collection of its own; checked; returns numbers."""
        self.serial += 1
        collection = f"bi_{tag}_{self.serial}"
        prefix = f"bi{self.serial}"
        manifest = os.path.join(OUT_DIR, f"manifest-{tag}.yaml")
        write_manifest(manifest, n, self.server.url, collection, prefix)
        state = self.fresh_state(f"{tag}-{self.serial}")
        argv = [self.bi, "run", manifest, "--concurrency", str(self.args.concurrency), "--state", state]
        if self.args.format == "json":
            argv += ["--format", "json"]
        if self.args.no_reconcile:
            argv += ["--no-reconcile"]
        s0 = self.server.cpu_s()
        r = launch(self.launcher, argv, self.env, f"bulk-import run ({n:,} jobs)")
        s1 = self.server.cpu_s()
        r["server_cpu_s"] = (s1 - s0) if s0 is not None and s1 is not None else None
        # Checks: the tool's own summary, the ledger, and the server.
        if self.args.format == "json":
            summary = json.loads(r["stdout"].strip().splitlines()[-1])
            submitted, selected = summary.get("submitted"), summary.get("selected")
        else:
            m = SUMMARY_TEXT.search(r["stdout"])
            if not m:
                raise BenchError(f"no summary line in bulk-import's output:\n{r['stdout'][-2000:]}")
            selected, submitted = int(m.group(1)), int(m.group(2))
        if selected != n or submitted != n:
            raise BenchError(f"bulk-import: {selected} selected, {submitted} submitted; expected {n}")
        with open(state, "rb") as f:
            ledger_submitted = sum(1 for line in f if b'"event":"submitted"' in line)
        if ledger_submitted != n:
            raise BenchError(f"ledger {state}: {ledger_submitted} submitted records, expected {n}")
        on_server = self.server.count_jobs(collection)
        if on_server != n:
            raise BenchError(f"the server holds {on_server} jobs for {collection}, expected {n}")
        r.update(jobs=n, server_jobs=on_server, ledger_submitted=ledger_submitted,
                 stdout_lines=r["stdout"].count("\n"))
        del r["stdout"], r["stderr"]
        return r

    def pymilvus(self, n, threads, tag):
        self.serial += 1
        collection = f"py_{tag}_{self.serial}"
        argv = [self.python, CLIENT, "--url", self.server.url, "--collection", collection,
                "--jobs", str(n), "--threads", str(threads), "--prefix", f"py{self.serial}"]
        return self.python_client(argv, n, threads, collection, f"pymilvus ({tag}, {n:,} jobs)")

    def floor(self, n):
        self.serial += 1
        collection = f"floor_{self.serial}"
        argv = [sys.executable, FLOOR, "--url", self.server.url, "--collection", collection,
                "--jobs", str(n), "--concurrency", str(self.args.concurrency), "--prefix", f"fl{self.serial}"]
        return self.python_client(argv, n, self.args.concurrency, collection, f"floor client ({n:,} jobs)")

    def threads_client(self, n):
        """The plain Python client: C threads, one keep-alive http.client connection each."""
        self.serial += 1
        collection = f"threads_{self.serial}"
        argv = [sys.executable, THREADS, "--url", self.server.url, "--collection", collection,
                "--jobs", str(n), "--threads", str(self.args.concurrency), "--prefix", f"th{self.serial}"]
        return self.python_client(argv, n, self.args.concurrency, collection, f"python threads client ({n:,} jobs)")

    def python_client(self, argv, n, threads, collection, label):
        s0 = self.server.cpu_s()
        r = launch(self.launcher, argv, self.env, label)
        s1 = self.server.cpu_s()
        try:
            inner = json.loads(r["stdout"].strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise BenchError(f"{label} printed no result:\n{r['stdout'][-2000:]}\n{r['stderr'][-2000:]}")
        if inner["ok"] != n or inner["distinct_ids"] != n:
            raise BenchError(f"{label}: {inner}")
        on_server = self.server.count_jobs(collection)
        if on_server != n:
            raise BenchError(f"the server holds {on_server} jobs for {collection}, expected {n}")
        return {"jobs": n, "threads": threads, "server_jobs": on_server,
                "wall_s": inner["wall_s"], "cpu_s": inner["cpu_s"], "import_s": inner.get("import_s"),
                "pymilvus": inner.get("pymilvus"),
                "process_wall_s": r["wall_s"], "process_cpu_s": r["cpu_s"], "rss_kib": r["rss_kib"],
                "server_cpu_s": (s1 - s0) if s0 is not None and s1 is not None else None}


def main(argv=None):
    ap = argparse.ArgumentParser(description="Benchmark bulk-import run against pymilvus (see README.md).")
    ap.add_argument("--jobs", type=int, default=1000, help="N for the comparison (default %(default)s)")
    ap.add_argument("--latency-ms", type=int, default=50, help="server latency per request (default %(default)s)")
    ap.add_argument("--concurrency", type=int, default=32,
                    help="bulk-import --concurrency and pymilvus threads (default %(default)s)")
    ap.add_argument("--loop-jobs", type=int, default=200,
                    help="jobs for the plain pymilvus loop, extrapolated to N (default %(default)s; "
                         "0: N, the whole run)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of bulk-import and of pymilvus threads at N, best of (default %(default)s)")
    ap.add_argument("--sweep", default="1000,3000,10000",
                    help="bulk-import sizes for the memory sweep (default %(default)s; 'none' skips it)")
    ap.add_argument("--quick", action="store_true",
                    help="a smoke run: --jobs 200 --loop-jobs 50 --repeat 1 --sweep 200,600,2000")
    ap.add_argument("--format", choices=["text", "json"], default="text",
                    help="bulk-import's output format (default %(default)s; its events go to a file)")
    ap.add_argument("--no-reconcile", action="store_true",
                    help="run bulk-import with --no-reconcile (no list of the collection before the first create)")
    ap.add_argument("--bin", help="bulk-import binary (else $BULK_IMPORT_BIN, else .build/release)")
    ap.add_argument("--server-bin", help="import-test-server binary (else $IMPORT_TEST_SERVER_BIN, else .build/release)")
    ap.add_argument("--build", action="store_true", help="swift build -c release both products first")
    ap.add_argument("--python", help="interpreter with pymilvus[bulk-writer] (default .out/venv/bin/python)")
    ap.add_argument("--install-pymilvus", action="store_true",
                    help="create .out/venv if needed and pip install pymilvus[bulk-writer] into it")
    ap.add_argument("--skip-pymilvus", action="store_true", help="only bulk-import")
    ap.add_argument("--json", metavar="OUT", help="also write every number as JSON to OUT")
    ap.add_argument("--strict", action="store_true", help="exit 3 if a goal is a MISS")
    args = ap.parse_args(argv)

    if args.quick:
        args.jobs, args.loop_jobs, args.repeat = 200, 50, 1
        if args.sweep == ap.get_default("sweep"):
            args.sweep = "200,600,2000"
    sweep = []
    if args.sweep.strip().lower() not in ("", "none", "0"):
        try:
            sweep = parse_sizes(args.sweep)
        except ValueError:
            ap.error(f"--sweep: not a list of integers: {args.sweep!r}")
    if args.jobs < 1 or args.concurrency < 1 or args.repeat < 1 or args.latency_ms < 0 or args.loop_jobs < 0:
        ap.error("--jobs, --concurrency and --repeat must be >= 1; --latency-ms and --loop-jobs >= 0")
    if any(n < 1 for n in sweep):
        ap.error("--sweep: sizes must be >= 1")
    loop_jobs = args.loop_jobs or args.jobs
    N, C, L = args.jobs, args.concurrency, args.latency_ms / 1000

    def ideal(n):
        return n * L / C

    started = time.perf_counter()
    try:
        ensure_out_dir(OUT_DIR, "venv, launcher, manifests and ledgers of Benchmarks/execute/run.py")
        launcher = build_launcher(OUT_DIR, label="the launcher", reuse=True)
        bi = release_binary(args.bin, "--bin", "BULK_IMPORT_BIN", "bulk-import", args.build)
        server_bin = release_binary(args.server_bin, "--server-bin", "IMPORT_TEST_SERVER_BIN", "import-test-server",
                                    args.build)
        python = None if args.skip_pymilvus else resolve_python(args)
    except BenchError as e:
        log(f"error: {e}")
        return 1

    env = dict(os.environ)
    env.setdefault("LC_ALL", "C.UTF-8")
    env["NO_COLOR"] = "1"

    try:
        server = Server(server_bin, args.latency_ms)
    except BenchError as e:
        log(f"error: {e}")
        return 1

    try:
        rss_floor = launch(launcher, ["true"], env, "true")["rss_kib"]
        log(f"bulk-import:        {bi}")
        log(f"import-test-server: {server_bin} at {server.url} ({' '.join(server.argv[1:])})")
        log(f"pymilvus python:    {python or '(skipped)'}")
        log(f"machine:            {machine_line()}; "
            f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        log(f"RSS floor of the launcher (peak RSS reported for `true`): {rss_floor:,} KiB")
        log(f"N = {N:,} jobs, latency {args.latency_ms} ms, concurrency {C}: "
            f"ideal N x latency / concurrency = {ideal(N):.3f} s")
        rounds = -(-N // C) * L
        log(f"  (in whole rounds, ceil(N / concurrency) x latency = {rounds:.3f} s = {rounds / ideal(N):.3f}x the ideal:"
            f" no client with {C} requests in flight can beat that)")
        log()
        b = Bench(args, launcher, bi, python, server, env)
        res = {}

        # Warm-up (not measured): page in both binaries / the pymilvus import, open connections.
        b.bulk_import(min(N, 64), "warmup")
        if python:
            b.pymilvus(min(N, 16), 0, "warmup")

        def show(name, n, s, extra):
            log(f"  {name:<22} {n:>6,} jobs  wall {s['wall_s']:7.3f} s  cpu {s['cpu_s']:6.3f} s  "
                f"rss {s['rss_kib'] / 1024:6.1f} MiB  server cpu {s['server_cpu_s'] or 0:5.2f} s  ({extra})")

        def client_extra(s):
            return f"server {s['server_jobs']:,} jobs; process {s['process_wall_s']:.2f} s"

        # The runs at N are interleaved (bulk-import, pymilvus threads, floor; K times), so that a
        # passing load on the machine does not fall on one of them only.
        samples = {"bulk_import": [], "pymilvus_threads": [], "threads_client": [], "floor": []}
        for k in range(args.repeat):
            s = b.bulk_import(N, f"n{N}")
            samples["bulk_import"].append(s)
            show("bulk-import run", N, s, f"ledger {s['ledger_submitted']:,}, server {s['server_jobs']:,} jobs")
            if python:
                s = b.pymilvus(N, C, "threads")
                samples["pymilvus_threads"].append(s)
                show(f"pymilvus {C} threads", N, s, client_extra(s))
            s = b.threads_client(N)
            samples["threads_client"].append(s)
            show(f"python {C} threads", N, s, client_extra(s))
            s = b.floor(N)
            samples["floor"].append(s)
            show("floor (asyncio)", N, s, client_extra(s))
        for name, runs in samples.items():
            if runs:
                res[name] = best(runs)
        if python:
            s = b.pymilvus(loop_jobs, 0, "loop")
            show("pymilvus loop", loop_jobs, s, client_extra(s))
            res["pymilvus_loop"] = s

        sweep_res = []
        for n in sweep:
            s = b.bulk_import(n, f"sweep{n}")
            sweep_res.append(s)
            show("sweep bulk-import", n, s, f"ledger {s['ledger_submitted']:,}, server {s['server_jobs']:,} jobs")
        server_rss = server.rss_kib()
    except BenchError as e:
        log()
        log(f"FAILED: {e}")
        code = server.proc.poll()
        if code is not None:
            log(f"import-test-server had exited with {code}; its stderr:\n{server.stderr()}")
        server.stop()
        return 1
    finally:
        server.stop()
    log()

    # ------------------------------------------------------------ the table
    bi_r = res["bulk_import"]
    rows = []

    def row(name, n_timed, wall_n, cpu_s, rss, note=""):
        return {"name": name, "jobs_timed": n_timed, "wall_s": wall_n, "over_ideal": wall_n / ideal(N),
                "cpu_ms_per_job": cpu_s / n_timed * 1e3, "rss_kib": rss, "note": note}

    rows.append(row("bulk-import run (whole process)", N, bi_r["wall_s"], bi_r["cpu_s"], bi_r["rss_kib"]))
    if "pymilvus_loop" in res:
        lp = res["pymilvus_loop"]
        per_job = lp["wall_s"] / lp["jobs"]
        rows.append(row(f"pymilvus loop (x{N / lp['jobs']:g}, extrapolated)" if lp["jobs"] != N else "pymilvus loop",
                        lp["jobs"], per_job * N, lp["cpu_s"], lp["rss_kib"],
                        note=f"{per_job * 1e3:.1f} ms a job measured on {lp['jobs']:,} jobs"))
    if "pymilvus_threads" in res:
        th = res["pymilvus_threads"]
        rows.append(row(f"pymilvus {C} threads", N, th["wall_s"], th["cpu_s"], th["rss_kib"]))
    tc = res["threads_client"]
    rows.append(row(f"python {C} threads, keep-alive (process)", N, tc["process_wall_s"], tc["process_cpu_s"],
                    tc["rss_kib"], note="whole process, like bulk-import"))
    rows.append(row(f"python {C} threads, keep-alive (inner)", N, tc["wall_s"], tc["cpu_s"], tc["rss_kib"],
                    note="submissions only, like pymilvus"))
    fl = res["floor"]
    rows.append(row(f"floor: asyncio, {C} keep-alive conns", N, fl["wall_s"], fl["cpu_s"], fl["rss_kib"]))

    hdr = (f"{'variant':<38} {'wall s':>9} {'/ideal':>8} {'CPU ms/job':>11} {'max RSS MiB':>12}"
           f" {'its wall / bulk-import':>23} {'its CPU / bulk-import':>22}")
    log(f"N = {N:,} jobs, {args.latency_ms} ms a request, concurrency {C}; ideal {ideal(N):.3f} s")
    log(hdr)
    log("-" * len(hdr))
    for r in rows:
        r["wall_over_bi"] = r["wall_s"] / bi_r["wall_s"]
        r["cpu_over_bi"] = r["cpu_ms_per_job"] / rows[0]["cpu_ms_per_job"]
        log(f"{r['name']:<38} {r['wall_s']:9.3f} {r['over_ideal']:7.2f}x {r['cpu_ms_per_job']:11.3f}"
            f" {mib(r['rss_kib']):>12} {r['wall_over_bi']:22.2f}x {r['cpu_over_bi']:21.2f}x")
    log()
    log("bulk-import: whole process (start-up, manifest, ledger fsyncs, HTTP), best of "
        f"{args.repeat} by wall; CPU = user + sys of the process.")
    log("pymilvus: the submissions only (after interpreter start and `import pymilvus`), CPU = the")
    log("process's user + sys over that section; max RSS is the whole process (with pymilvus loaded).")
    log("floor: the same creates from asyncio over keep-alive connections, nothing else (no ledger, no")
    log(f"output, no retries); timed like pymilvus. bulk-import wall / floor wall = "
        f"{bi_r['wall_s'] / fl['wall_s']:.3f}x.")
    log(f"python {C} threads: stdlib http.client, one keep-alive connection a thread, no ledger; timed as a"
        f" whole process (like bulk-import) and inside. bulk-import wall / python client wall ="
        f" {bi_r['wall_s'] / tc['process_wall_s']:.3f}x (whole processes),"
        f" {bi_r['wall_s'] / tc['wall_s']:.3f}x (against its inner time).")
    if "pymilvus_loop" in res and res["pymilvus_loop"]["jobs"] != N:
        log(f"pymilvus loop: measured on {res['pymilvus_loop']['jobs']:,} jobs, wall extrapolated to N "
            f"(x{N / res['pymilvus_loop']['jobs']:g}); CPU ms/job measured.")
    log()

    if sweep_res:
        log("memory sweep, bulk-import run:")
        hdr2 = f"{'jobs':>8} {'wall s':>9} {'ideal s':>9} {'/ideal':>8} {'CPU ms/job':>11} {'max RSS MiB':>12} {'vs smallest':>12}"
        log(hdr2)
        log("-" * len(hdr2))
        base = sweep_res[0]["rss_kib"]
        for s in sweep_res:
            s["ideal_s"] = ideal(s["jobs"])
            s["over_ideal"] = s["wall_s"] / s["ideal_s"]
            s["cpu_ms_per_job"] = s["cpu_s"] / s["jobs"] * 1e3
            s["rss_over_smallest"] = s["rss_kib"] / base
            log(f"{s['jobs']:>8,} {s['wall_s']:9.3f} {s['ideal_s']:9.3f} {s['over_ideal']:7.2f}x"
                f" {s['cpu_ms_per_job']:11.3f} {mib(s['rss_kib']):>12} {s['rss_over_smallest']:11.2f}x")
        if len(sweep_res) >= 2:
            a, z = sweep_res[0], sweep_res[-1]
            growth = (z["rss_kib"] - a["rss_kib"]) * 1024 / (z["jobs"] - a["jobs"])
            log(f"growth: {growth:,.0f} bytes of peak RSS per extra job ({a['jobs']:,} -> {z['jobs']:,})")
        log()

    goals = []

    def goal(name, target, value, ok):
        goals.append({"goal": name, "target": target, "value": value,
                      "status": "N/A" if value is None else ("PASS" if ok else "MISS")})

    goal(f"bulk-import wall / ideal at {N:,} jobs", f"<= {GOAL_OVER_IDEAL:g}x", rows[0]["over_ideal"],
         rows[0]["over_ideal"] <= GOAL_OVER_IDEAL)
    ratio = bi_r["wall_s"] / tc["process_wall_s"]
    goal(f"bulk-import wall / python {C}-thread client (whole processes)", "<= 1x", ratio, ratio <= 1.0)
    goal(f"bulk-import CPU per job at {N:,} jobs", f"< {GOAL_CPU_MS_PER_JOB:g} ms", rows[0]["cpu_ms_per_job"],
         rows[0]["cpu_ms_per_job"] < GOAL_CPU_MS_PER_JOB)
    flat = sweep_res[-1]["rss_over_smallest"] if len(sweep_res) >= 2 else None
    goal("bulk-import peak RSS, largest / smallest sweep size", f"<= {GOAL_MEM_FLAT:g}x", flat,
         flat is not None and flat <= GOAL_MEM_FLAT)
    log("Goals:")
    for g in goals:
        v = "no data" if g["value"] is None else (f"{g['value']:.3f} ms" if "CPU" in g["goal"] else f"{g['value']:.3f}x")
        log(f"  {g['status']:<4}  {g['goal']:<52} {g['target']:>9}   ({v})")
    elapsed = time.perf_counter() - started
    log()
    log(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"server peak RSS {server_rss or 0:,} KiB; total benchmark time: {elapsed:.1f} s")

    if args.json:
        doc = {
            "bulk_import_bin": bi, "server_bin": server_bin, "server_argv": server.argv,
            "python": python, "machine": machine(),
            "jobs": N, "latency_ms": args.latency_ms, "concurrency": C, "ideal_s": ideal(N),
            "repeat": args.repeat, "rss_floor_kib": rss_floor, "results": res, "table": rows,
            "sweep": sweep_res, "goals": goals, "elapsed_s": elapsed,
            "units": {"wall_s": "seconds", "cpu_s": "seconds user+sys", "rss_kib": "KiB ru_maxrss"},
        }
        write_json(args.json, doc)
    return exit_code(args.strict, goals)


if __name__ == "__main__":
    sys.exit(main())
