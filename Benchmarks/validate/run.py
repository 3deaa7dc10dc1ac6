#!/usr/bin/env python3
"""Benchmark `bulk-import validate` against the libyaml floor and PyYAML.

    python3 Benchmarks/validate/run.py [--no-build] [--sizes 1000,10000,100000]
                                       [--repeat 5] [--repeat-large 3] [--json OUT]

For each manifest size it runs, as separate whole processes, best-of-K:
  (a) the C event loop (yaml_event_loop.c, built here with cc -O2 and the system libyaml),
  (b) `bulk-import validate FILE`   (must exit 0),
  (c) python3 doing `yaml.load(f, Loader=yaml.CSafeLoader)`.
Each child is started by a tiny C launcher (rusage_exec.c, itself run with subprocess.Popen and
reaped with os.wait4) that forks the child, reaps it with wait4 and reports its wall time
(fork to reap) and ru_maxrss (KiB). A child forked straight from Python would report Python's
own RSS as its peak: Linux keeps the pre-exec high-water mark. The outer perf_counter wall
around Popen..os.wait4 is kept in the JSON too. See README.md beside this file for the goals.

Standard library plus PyYAML only.
"""

import argparse
import os
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, ".out")
sys.path[:0] = [HERE, os.path.dirname(HERE)]  # gen_manifest beside this file, common in Benchmarks/
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
import gen_manifest  # noqa: E402
from common import (BenchError, best, build_c, build_launcher, ensure_out_dir, exit_code,  # noqa: E402
                    fmt_ms, fmt_ratio, fmt_us, log, machine, machine_line, parse_sizes,
                    resolve_binary, run_launched, write_json)

DEFAULT_SIZES = [1, 1000, 10000, 100000]
LARGE = 100000  # sizes >= this use --repeat-large

# Goals (evaluated at every size >= GOAL_MIN_SIZE, or at the largest size if none is that big).
GOAL_MIN_SIZE = 10000
GOAL_TOOL_OVER_C = 2.0        # tool wall / C-loop wall   <= 2x
GOAL_PY_OVER_TOOL = 30.0      # PyYAML wall / tool wall   >= 30x
GOAL_MEM_OVER_FILE = 2.0      # (RSS(N) - RSS(1)) / bytes <= 2x (issue 13; was 5x)
GOAL_FLAT = 1.5               # per-job cost at the largest N / at the smallest N >= 10k, <= 1.5x

DUMMY_ENV = {
    "MILVUS_TOKEN": "root:Milvus",
    "ZILLIZ_API_KEY": "dummy-zilliz-api-key",
    "AWS_ACCESS_KEY_ID": "AKIADUMMYDUMMYDUMMY0",
    "AWS_SECRET_ACCESS_KEY": "dummy/secret/key/dummy/secret/key/dummy0",
}

PYYAML_SNIPPET = (
    "import sys, yaml\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    yaml.load(f, Loader=yaml.CSafeLoader)\n"
)


def build_c_here(name, link_yaml):
    """Compile Benchmarks/validate/NAME.c into .out/NAME with cc -O2."""
    flags = []
    if link_yaml:
        try:
            flags = subprocess.run(["pkg-config", "--cflags", "--libs", "yaml-0.1"], check=True,
                                   capture_output=True, text=True).stdout.split()
        except (OSError, subprocess.CalledProcessError) as e:
            log(f"warning: pkg-config yaml-0.1 failed ({e}); falling back to -lyaml")
            flags = ["-lyaml"]
    return build_c(os.path.join(HERE, name + ".c"), os.path.join(OUT_DIR, name), flags)


def resolve_tool(args):
    """Return the argv prefix for the tool (the manifest path is appended) and a label."""
    if args.tool_cmd:
        argv = shlex.split(args.tool_cmd)
        if "{file}" not in argv:
            argv.append("{file}")
        return argv, "custom: " + args.tool_cmd
    binary, source = resolve_binary(
        args.bin, "--bin", "BULK_IMPORT_BIN", "bulk-import", not args.no_build,
        build_error="swift build failed with exit code {code}",
        missing="tool binary not found or not executable: {path} (from {source})",
        hint="; run without --no-build or set BULK_IMPORT_BIN" if args.no_build else "")
    return [binary, "validate", "{file}"], f"{binary} ({source})"


def run_once(launcher, argv, env, label=""):
    """Run argv as a whole process through the launcher (common.run_launched); return its
    numbers: wall_s, cpu_s, rss_kib, outer_s (perf_counter around the launcher), stdout..."""
    return run_launched(launcher, argv, env, label, OUT_DIR, outer=True,
                        stderr_tail=20000, stdout_tail=4000, stdout_heading="stdout")


def bench(launcher, argv, env, k, label):
    runs = [run_once(launcher, argv, env, label=label) for _ in range(k)]
    # Wall: best of K (least disturbed). Peak RSS: the largest seen (conservative).
    b = best(runs)
    return {"wall_s": b["wall_s"], "walls_s": b["walls_s"], "rss_kib": b["rss_kib"],
            "rss_all_kib": [r["rss_kib"] for r in runs], "outer_walls_s": [r["outer_s"] for r in runs],
            "stdout": runs[-1]["stdout"].strip()[:200]}


def verdict(ok):
    return "PASS" if ok else "MISS"


def main(argv=None):
    ap = argparse.ArgumentParser(description="Benchmark bulk-import validate (see README.md).")
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                    help="comma-separated job counts (default %(default)s); 1 is always added "
                         "as the start-up baseline")
    ap.add_argument("--repeat", type=int, default=5, help="runs per command, best-of (default 5)")
    ap.add_argument("--repeat-large", type=int, default=3,
                    help=f"runs per command for sizes >= {LARGE:,} (default 3)")
    ap.add_argument("--no-build", action="store_true",
                    help="do not run swift build; use $BULK_IMPORT_BIN or .build/release/bulk-import")
    ap.add_argument("--bin", help="tool binary (overrides $BULK_IMPORT_BIN)")
    ap.add_argument("--tool-cmd",
                    help="stand-in command line for the tool instead of `BIN validate FILE`; "
                         "{file} is replaced by the manifest path (appended if absent). Example: "
                         "--tool-cmd \"python3 -c 'import sys,yaml; yaml.load(open(sys.argv[2]),"
                         "Loader=yaml.CSafeLoader)' validate {file}\"")
    ap.add_argument("--skip-pyyaml", action="store_true", help="do not run the PyYAML comparison")
    ap.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    ap.add_argument("--json", metavar="OUT", help="also write the numbers as JSON to OUT")
    ap.add_argument("--strict", action="store_true", help="exit 3 if any goal is a MISS")
    args = ap.parse_args(argv)

    try:
        sizes = sorted(set(parse_sizes(args.sizes)) | {1})
    except ValueError:
        ap.error(f"--sizes: not a list of integers: {args.sizes!r}")
    if sizes[0] < 1:
        ap.error("--sizes: job counts must be >= 1")
    if args.repeat < 1 or args.repeat_large < 1:
        ap.error("--repeat and --repeat-large must be >= 1")

    started = time.perf_counter()
    try:
        ensure_out_dir(OUT_DIR, "Build output and generated manifests of Benchmarks/validate/run.py")
        c_loop = build_c_here("yaml_event_loop", link_yaml=True)
        launcher = build_launcher(OUT_DIR)
        tool_argv, tool_label = resolve_tool(args)
    except BenchError as e:
        log(f"error: {e}")
        return 1

    env = dict(os.environ)
    env.update(DUMMY_ENV)
    env.setdefault("LC_ALL", "C.UTF-8")

    try:
        floor_kib = run_once(launcher, ["true"], env, label="true")["rss_kib"]
    except BenchError as e:
        log(f"error: the launcher does not work: {e}")
        return 1

    log(f"tool:    {tool_label}")
    log(f"C loop:  {c_loop}")
    log(f"RSS floor of the launcher (peak RSS reported for `true`): {floor_kib:,} KiB")
    log(f"python:  {sys.executable} (PyYAML {__import__('yaml').__version__})")
    log(f"machine: {machine_line()}")
    log()

    # Generate manifests.
    files = {}
    for n in sizes:
        path = os.path.join(OUT_DIR, f"manifest-{n}.yaml")
        text = gen_manifest.generate(n, args.seed)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        files[n] = (path, os.path.getsize(path))
        log(f"generated {n:>7,} jobs: {files[n][1]:>12,} bytes  "
            f"({files[n][1] / n:,.0f} B/job)  {path}")
    log()

    results = {}
    try:
        for n in sizes:
            path, nbytes = files[n]
            k = args.repeat_large if n >= LARGE else args.repeat
            log(f"[{n:,} jobs, best of {k}]")
            r = {"jobs": n, "bytes": nbytes, "runs": k}
            r["c_loop"] = bench(launcher, [c_loop, path], env, k, "C loop")
            log(f"  C loop   {r['c_loop']['wall_s'] * 1e3:9.1f} ms  {r['c_loop']['rss_kib']:>9,} KiB"
                f"  ({r['c_loop']['stdout']} events)")
            targv = [a.replace("{file}", path) for a in tool_argv]
            r["tool"] = bench(launcher, targv, env, k, "bulk-import validate")
            log(f"  tool     {r['tool']['wall_s'] * 1e3:9.1f} ms  {r['tool']['rss_kib']:>9,} KiB")
            if not args.skip_pyyaml:
                r["pyyaml"] = bench(launcher, [sys.executable, "-c", PYYAML_SNIPPET, path], env, k, "PyYAML")
                log(f"  PyYAML   {r['pyyaml']['wall_s'] * 1e3:9.1f} ms  "
                    f"{r['pyyaml']['rss_kib']:>9,} KiB")
            results[n] = r
    except BenchError as e:
        log()
        log(f"FAILED: {e}")
        return 1
    log()

    # Derived numbers.
    base = results[1]
    for n, r in results.items():
        t, c = r["tool"]["wall_s"], r["c_loop"]["wall_s"]
        p = r["pyyaml"]["wall_s"] if "pyyaml" in r else None
        r["tool_over_c"] = t / c
        r["pyyaml_over_tool"] = p / t if p is not None else None
        r["tool_mem_delta_kib"] = r["tool"]["rss_kib"] - base["tool"]["rss_kib"]
        r["tool_mem_over_file"] = (r["tool_mem_delta_kib"] * 1024 / r["bytes"]) if n > 1 else None
        if n > 1:
            r["per_job_us"] = {
                name: (r[name]["wall_s"] - base[name]["wall_s"]) / n * 1e6
                for name in ("c_loop", "tool", "pyyaml") if name in r
            }
        else:
            r["per_job_us"] = None

    # Table.
    hdr = (f"{'jobs':>8} {'bytes':>12} {'C loop ms':>10} {'tool ms':>10} {'PyYAML ms':>10}"
           f" {'tool/C':>9} {'Py/tool':>9} {'tool RSS':>12} {'tool +RSS':>12} {'+RSS/file':>9}"
           f" {'tool us/job':>11} {'C us/job':>9} {'Py us/job':>9}")
    log(hdr)
    log("-" * len(hdr))
    for n in sizes:
        r = results[n]
        pj = r["per_job_us"] or {}
        log(f"{n:>8,} {r['bytes']:>12,} {fmt_ms(r['c_loop']['wall_s'])} {fmt_ms(r['tool']['wall_s'])}"
            f" {fmt_ms(r['pyyaml']['wall_s'] if 'pyyaml' in r else None)}"
            f" {fmt_ratio(r['tool_over_c'])} {fmt_ratio(r['pyyaml_over_tool'])}"
            f" {r['tool']['rss_kib']:>8,} KiB {r['tool_mem_delta_kib']:>8,} KiB"
            f" {fmt_ratio(r['tool_mem_over_file'])}"
            f" {fmt_us(pj.get('tool'), 11)} {fmt_us(pj.get('c_loop'), 9)}"
            f" {fmt_us(pj.get('pyyaml'), 9)}")
    log()
    log("tool/C = tool wall / C-loop wall; Py/tool = PyYAML wall / tool wall;")
    log("tool +RSS = peak RSS(N) - peak RSS(1 job); +RSS/file = that / file bytes;")
    log("us/job = (wall(N) - wall(1 job)) / N. Wall = best of K, RSS = max of K (peak RSS, ru_maxrss).")
    log()

    # Goals.
    goal_sizes = [n for n in sizes if n >= GOAL_MIN_SIZE] or [sizes[-1]]
    goals = []

    def goal(name, target, values, ok_fn):
        vals = {n: v for n, v in values.items() if v is not None}
        if not vals:
            goals.append({"goal": name, "target": target, "status": "N/A", "values": {}})
            return
        ok = all(ok_fn(v) for v in vals.values())
        goals.append({"goal": name, "target": target, "status": verdict(ok), "values": vals})

    goal("tool wall / C-loop wall", f"<= {GOAL_TOOL_OVER_C:g}x",
         {n: results[n]["tool_over_c"] for n in goal_sizes}, lambda v: v <= GOAL_TOOL_OVER_C)
    goal("PyYAML wall / tool wall", f">= {GOAL_PY_OVER_TOOL:g}x",
         {n: results[n]["pyyaml_over_tool"] for n in goal_sizes}, lambda v: v >= GOAL_PY_OVER_TOOL)
    goal("tool memory beyond start-up / file size", f"<= {GOAL_MEM_OVER_FILE:g}x",
         {n: results[n]["tool_mem_over_file"] for n in goal_sizes if n > 1},
         lambda v: v <= GOAL_MEM_OVER_FILE)
    # Flatness: per-job cost at the largest size vs the smallest size >= 10k (if distinct).
    big = [n for n in sizes if n >= GOAL_MIN_SIZE]
    flat_vals = {}
    if len(big) >= 2 and results[big[0]]["per_job_us"]["tool"] > 0:
        flat_vals = {f"{big[-1]}/{big[0]}":
                     results[big[-1]]["per_job_us"]["tool"] / results[big[0]]["per_job_us"]["tool"]}
    goal("tool per-job cost flat (largest N / smallest N >= 10k)", f"<= {GOAL_FLAT:g}x",
         flat_vals, lambda v: v <= GOAL_FLAT)

    log(f"Goals (at {', '.join(f'{n:,}' for n in goal_sizes)} jobs):")
    for g in goals:
        vals = ", ".join(f"{k if isinstance(k, str) else f'{k:,}'}: {v:.2f}x"
                         for k, v in g["values"].items()) or "no data"
        log(f"  {g['status']:<4}  {g['goal']:<56} {g['target']:>7}   ({vals})")
    elapsed = time.perf_counter() - started
    log()
    log(f"total benchmark time: {elapsed:.1f} s")

    if args.json:
        doc = {
            "tool": tool_label,
            "tool_argv": tool_argv,
            "c_loop": c_loop,
            "rss_floor_kib": floor_kib,
            "python": sys.version.split()[0],
            "pyyaml": __import__("yaml").__version__,
            "machine": machine(),
            "seed": args.seed,
            "repeat": args.repeat,
            "repeat_large": args.repeat_large,
            "units": {"wall_s": "seconds, best of K, fork to reap as measured by rusage_exec",
                      "outer_walls_s": "seconds, time.perf_counter around Popen..os.wait4 "
                                       "of the launcher",
                      "rss_kib": "KiB, max of K ru_maxrss",
                      "per_job_us": "microseconds"},
            "results": [results[n] for n in sizes],
            "goals": [{**g, "values": {str(k): v for k, v in g["values"].items()}} for g in goals],
            "elapsed_s": elapsed,
        }
        write_json(args.json, doc)
    return exit_code(args.strict, goals)


if __name__ == "__main__":
    sys.exit(main())
