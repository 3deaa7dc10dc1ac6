"""Helpers shared by the benchmark scripts (Benchmarks/*/run.py).

Each script puts this folder on sys.path from its own location, so it runs from anywhere:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import common

Standard library only.
"""

import json
import os
import platform
import shlex
import subprocess
import tempfile
import time

BENCHMARKS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(BENCHMARKS, ".."))
# The small C launcher that starts every measured process (see Benchmarks/validate/README.md).
LAUNCHER_SRC = os.path.join(BENCHMARKS, "validate", "rusage_exec.c")


class BenchError(Exception):
    pass


def log(msg=""):
    print(msg, flush=True)


def ensure_out_dir(out_dir, what):
    """Make OUT_DIR, ignored by git as a whole; `what` says, in its .gitignore, what it holds."""
    os.makedirs(out_dir, exist_ok=True)
    gi = os.path.join(out_dir, ".gitignore")
    if not os.path.exists(gi):
        with open(gi, "w") as f:
            f.write(f"# {what}\n*\n")


def build_c(src, exe, flags=(), label=None, reuse=False):
    """Compile SRC into EXE with `$CC -O2` (cc by default) and FLAGS; return EXE.

    With reuse, an EXE at least as new as SRC is kept as it is. `label` names it in the error.
    """
    if reuse and os.path.isfile(exe) and os.path.getmtime(exe) >= os.path.getmtime(src):
        return exe
    cmd = [os.environ.get("CC", "cc"), "-O2", "-o", exe, src] + list(flags)
    log("$ " + " ".join(shlex.quote(c) for c in cmd))
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        name = label or os.path.splitext(os.path.basename(src))[0]
        raise BenchError(f"building {name} failed:\n{r.stdout}{r.stderr}")
    return exe


def build_launcher(out_dir, label="rusage_exec", reuse=False):
    """The launcher rusage_exec, compiled into OUT_DIR."""
    return build_c(LAUNCHER_SRC, os.path.join(out_dir, "rusage_exec"), label=label, reuse=reuse)


def resolve_binary(flag_value, flag_name, env_name, product, build,
                   build_error="swift build of {product} failed",
                   missing="{product} not found or not executable: {path} (from {source})",
                   hint=""):
    """Find a release binary of the project; return (path, source).

    The flag's value, else $ENV_NAME, else .build/release/PRODUCT, which is first built with
    `swift build -c release --product PRODUCT` if `build`. The messages of the errors raised are
    formatted with product, code (swift build's exit code), path and source; `hint` is appended
    to the one for a missing binary.
    """
    if flag_value:
        path, source = flag_value, flag_name
    elif os.environ.get(env_name):
        path, source = os.environ[env_name], "$" + env_name
    else:
        path, source = os.path.join(REPO, ".build", "release", product), ".build/release"
        if build:
            cmd = ["swift", "build", "-c", "release", "--product", product]
            log(f"$ (cd {REPO} && {' '.join(cmd)})")
            t0 = time.perf_counter()
            r = subprocess.run(cmd, cwd=REPO)
            if r.returncode != 0:
                raise BenchError(build_error.format(product=product, code=r.returncode))
            log(f"  built in {time.perf_counter() - t0:.1f} s")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise BenchError(missing.format(product=product, path=path, source=source) + hint)
    return path, source


def run_launched(launcher, argv, env, label, out_dir, capture_dir=None, outer=False,
                 stderr_tail=6000, stdout_tail=3000, stdout_heading="stdout (end)"):
    """Run argv as a whole process through the launcher; return its numbers and output.

    The child is started through the small C launcher (rusage_exec.c), because a child forked
    directly by this Python process inherits Python's RSS high-water mark in ru_maxrss. The
    launcher itself is started with subprocess.Popen and reaped with os.wait4; it reports the
    child's own wall time (fork to reap, CLOCK_MONOTONIC), ru_utime, ru_stime and ru_maxrss from
    its wait4, into a report file in OUT_DIR. The child's stdout and stderr go to temporary files
    in capture_dir (the system's temporary folder if None).

    Returns dict(wall_s, cpu_s, user_s, sys_s, rss_kib, stdout, stderr), and with outer also
    outer_s: time.perf_counter around Popen..os.wait4 of the launcher. A failure (no report,
    or an exit code other than 0) raises BenchError with the ends of stderr and stdout.
    """
    fd, report = tempfile.mkstemp(prefix="rusage-", dir=out_dir)
    os.close(fd)
    try:
        with tempfile.TemporaryFile(dir=capture_dir) as out, tempfile.TemporaryFile(dir=capture_dir) as err:
            t0 = time.perf_counter()
            p = subprocess.Popen([launcher, report] + argv, stdin=subprocess.DEVNULL,
                                 stdout=out, stderr=err, env=env)
            _, status, _ = os.wait4(p.pid, 0)
            outer_s = time.perf_counter() - t0
            code = os.waitstatus_to_exitcode(status)
            p.returncode = code  # reaped by os.wait4: tell Popen so it never waits again
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            stderr = err.read().decode("utf-8", "replace")
        with open(report) as f:
            fields = dict(kv.split("=", 1) for kv in f.read().split())
    except (OSError, ValueError) as e:
        raise BenchError(f"{label}: no usage report from the launcher ({e})")
    finally:
        try:
            os.unlink(report)
        except OSError:
            pass
    if code != 0 or not fields:
        raise BenchError(
            f"{label or argv[0]} exited with {code} (expected 0)\n"
            f"command: {' '.join(shlex.quote(a) for a in argv)}\n"
            f"--- stderr ---\n{stderr[-stderr_tail:]}\n--- {stdout_heading} ---\n{stdout[-stdout_tail:]}")
    r = {"wall_s": int(fields["wall_ns"]) / 1e9,
         "cpu_s": (int(fields["utime_us"]) + int(fields["stime_us"])) / 1e6,
         "user_s": int(fields["utime_us"]) / 1e6, "sys_s": int(fields["stime_us"]) / 1e6,
         "rss_kib": int(fields["maxrss_kib"]), "stdout": stdout, "stderr": stderr}
    if outer:
        r["outer_s"] = outer_s
    return r


def best(samples):
    """Best of N: wall and CPU of the least disturbed run (smallest wall), RSS the largest of all.

    Returns a copy of that run's dict with rss_kib replaced and walls_s, cpus_s (every run's) added.
    """
    b = dict(min(samples, key=lambda s: s["wall_s"]))
    b["rss_kib"] = max(s["rss_kib"] for s in samples)
    b["walls_s"] = [s["wall_s"] for s in samples]
    b["cpus_s"] = [s["cpu_s"] for s in samples]
    return b


def parse_sizes(text):
    """'1000,10_000' -> sorted distinct ints; ValueError if one is not an integer."""
    return sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})


# ---------------------------------------------------------------- formatting

def fmt_num(x, width, decimals, suffix=""):
    """x right-aligned in `width` with `decimals`, then suffix; None as '-' in the same width."""
    if x is None:
        return f"{'-':>{width + len(suffix)}}"
    return f"{x:{width}.{decimals}f}{suffix}"


def fmt_ms(s):
    """Seconds as milliseconds, 10 wide."""
    return fmt_num(None if s is None else s * 1e3, 10, 1)


def fmt_ratio(x):
    return fmt_num(x, 8, 2, "x")


def fmt_us(x, width):
    return fmt_num(x, width, 2)


def mib(kib):
    """KiB as MiB, 8 wide."""
    return fmt_num(None if kib is None else kib / 1024, 8, 1)


def machine():
    """The machine, for the JSON."""
    return {"arch": platform.machine(), "system": platform.system(),
            "release": platform.release(), "cpus": os.cpu_count()}


def machine_line():
    """The machine, for the log: 'x86_64 Linux 6.18.0, 2 CPUs'."""
    return f"{platform.machine()} {platform.system()} {platform.release()}, {os.cpu_count()} CPUs"


def exit_code(strict, goals):
    """The exit code at the end of a run: 3 with --strict if a goal is a MISS, else 0."""
    return 3 if strict and any(g["status"] == "MISS" for g in goals) else 0


def write_json(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    log(f"wrote {path}")
