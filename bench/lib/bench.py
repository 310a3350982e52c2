#!/usr/bin/env python3
"""The Throughcare benchmark driver (standard library only). `bench/run` installs and builds, starts
a throwaway PostgreSQL cluster when asked, then calls this for everything else:

  bench.py run --bin B --hello-bin H --workdir W --backends sqlite,postgres --scales 2000,10000
               [--pg-url postgres://...] [--duration 10] [--connections 4] [--threads 1]
               [--roster-rows 100000] [--results DIR] [--command "the command line"]

For each backend and scale it generates the demo, serves it on 127.0.0.1, loads each endpoint
with wrk (bench/lib/request.lua), measures page sizes, peak RSS, the dashboard's raw-SQL floor and
a roster import, and writes bench/results/<date>-<backend>-<scale>.md plus <date>-summary.md.
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
LUA = HERE / "request.lua"
DEMO_PASSWORD = "throughcare-demo"
DEMO = "@demo.throughcare.example"

# Goals (BENCHMARKS.md). Reported, never asserted in tests.
P95_GOAL_MS = {"sqlite": 50.0, "postgres": 100.0}
PAGE_GOAL_BYTES = 60 * 1024
RSS_GOAL_MB = 200.0
ROSTER_GOAL_S = 5.0
EXPORT_FIRST_BYTE_GOAL_MS = 200.0
EXPORT_ROWS_GOAL = 300_000
EXPORT_RUNS = 3
DASHBOARD_RATIO_GOAL = 2.0
FLOOR_CLIENT = {"sqlite": "Python sqlite3 (in process)", "postgres": "psql (\\timing)"}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ------------------------------------------------------------------ HTTP (127.0.0.1 only)


def req(port: int, method: str, path: str, headers: dict | None = None, body: bytes | None = None,
         timeout: float = 120.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return r.status, r.getheaders(), data
    finally:
        conn.close()


def stream(port: int, path: str, headers: dict) -> dict:
    """One GET read to its end: the status, the time to the first byte of the body and to the
    last, the bytes and the CSV rows (lines after the header)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        t0 = time.perf_counter()
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        first = r.read(1)
        t1 = time.perf_counter()
        size, lines = len(first), first.count(b"\n")
        while True:
            chunk = r.read(1 << 20)
            if not chunk:
                break
            size += len(chunk)
            lines += chunk.count(b"\n")
        t2 = time.perf_counter()
        return {"status": r.status, "first_byte_ms": (t1 - t0) * 1000, "seconds": t2 - t0,
                "bytes": size, "rows": max(lines - 1, 0)}
    finally:
        conn.close()


def cookies_from(headers) -> dict:
    out = {}
    for k, v in headers:
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            out[name.strip()] = rest.split(";", 1)[0]
    return out


def cookie_names(headers) -> tuple[str, str]:
    """The CSRF and session cookies' names as this server sets them: `__Host-` prefixed when its
    cookies are Secure (the default), plain otherwise."""
    prefix = "__Host-" if any(k.lower() == "set-cookie" and v.startswith("__Host-")
                              for k, v in headers) else ""
    return f"{prefix}tc_csrf", f"{prefix}tc_session"


def sign_in(port: int, email: str) -> str:
    """Sign in through the form (GET /sign-in for the CSRF cookie, then POST); the session."""
    status, hdrs, _ = req(port, "GET", "/sign-in")
    csrf_name, session_name = cookie_names(hdrs)
    csrf = cookies_from(hdrs).get(csrf_name)
    if status != 200 or not csrf:
        raise RuntimeError(f"GET /sign-in: HTTP {status}, csrf cookie {csrf!r}")
    form = urllib.parse.urlencode({"email": email, "password": DEMO_PASSWORD, "csrf": csrf})
    status, hdrs, _ = req(port, "POST", "/sign-in", {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"{csrf_name}={csrf}",
    }, form.encode())
    session = cookies_from(hdrs).get(session_name)
    if status not in (302, 303) or not session:
        raise RuntimeError(f"sign-in as {email}: HTTP {status}, no session cookie")
    return f"{csrf_name}={csrf}; {session_name}={session}"


# ------------------------------------------------------------------ processes


class Server:
    """A server process on 127.0.0.1:port, stopped (SIGTERM, then SIGKILL) by stop()."""

    def __init__(self, argv: list[str], port: int, env: dict, logfile: Path):
        self.port = port
        self.log = open(logfile, "ab")
        self.proc = subprocess.Popen(argv, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)

    def wait_ready(self, path: str, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode} (see {self.log.name})")
            try:
                status, _, _ = req(self.port, "GET", path, timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not ready on port {self.port} after {timeout:.0f} s")

    def status_kb(self, field: str) -> int | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def run_cmd(argv, env, logfile: Path, timeout: float | None = None, check=True) -> tuple[float, str]:
    """Run a command to completion; (seconds, stdout). Output also goes to logfile."""
    t0 = time.monotonic()
    p = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, timeout=timeout)
    secs = time.monotonic() - t0
    with open(logfile, "ab") as f:
        f.write(f"$ {' '.join(map(str, argv))}\n".encode())
        f.write(p.stdout)
        f.write(p.stderr)
    if check and p.returncode != 0:
        raise RuntimeError(f"{argv[0]} {argv[1:4]}... exited {p.returncode}: "
                           f"{p.stderr.decode(errors='replace')[-500:]}")
    return secs, p.stdout.decode(errors="replace")


# ------------------------------------------------------------------ wrk


def wrk(port: int, path: str, args, workdir: Path, *, method="GET", headers=None, body=None,
        signin_emails=None, csrf=None, duration=None, connections=None) -> dict:
    duration = duration or args.duration
    connections = connections or args.connections
    hfile = workdir / "wrk-headers.txt"
    hfile.write_text("".join(f"{k}: {v}\n" for k, v in (headers or {}).items()))
    env = dict(os.environ, BENCH_METHOD=method, BENCH_HEADERS_FILE=str(hfile))
    if body is not None:
        bfile = workdir / "wrk-body.txt"
        bfile.write_bytes(body)
        env["BENCH_BODY_FILE"] = str(bfile)
    if signin_emails:
        efile = workdir / "wrk-emails.txt"
        efile.write_text("\n".join(signin_emails) + "\n")
        env.update(BENCH_SIGNIN_FILE=str(efile), BENCH_PASSWORD=DEMO_PASSWORD, BENCH_CSRF=csrf)
    argv = ["wrk", f"-t{min(args.threads, connections)}", f"-c{connections}", f"-d{duration}s",
            "--timeout", "30s", "-s", str(LUA), f"http://127.0.0.1:{port}{path}"]
    p = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=duration + 90)
    out = p.stdout.decode(errors="replace")
    m = re.search(r"BENCH_JSON (\{.*\})", out)
    if p.returncode != 0 or not m:
        raise RuntimeError(f"wrk failed on {path}: {out[-800:]}")
    r = json.loads(m.group(1))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6) if r["duration_us"] else 0.0
    r["errors"] = sum(r[k] for k in r if k.startswith("errors_"))
    for k in ("p50", "p90", "p95", "p99", "max"):
        r[k + "_ms"] = r[k + "_us"] / 1000.0
    r["connections"] = connections
    r["duration_s"] = duration
    return r


# ------------------------------------------------------------------ database access (CLIs)


class Database:
    def __init__(self, backend: str, sqlite_file: Path | None, pg_url: str | None):
        self.backend, self.sqlite_file, self.pg_url = backend, sqlite_file, pg_url

    def query(self, sql: str) -> list[list[str]]:
        if self.backend == "sqlite":
            argv = ["sqlite3", "-readonly", "-batch", "-separator", "\t", str(self.sqlite_file)]
        else:
            argv = ["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", self.pg_url]
        script = sql.strip().rstrip(";") + ";\n"
        p = subprocess.run(argv, input=script.encode(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=600)
        if p.returncode != 0:
            raise RuntimeError(f"{argv[0]}: {p.stderr.decode(errors='replace')}")
        return [line.split("\t") for line in p.stdout.decode().splitlines() if line]

    def time_query(self, sql: str, runs: int) -> list[float]:
        """Server-side times (ms) of `runs` executions in one client session (no process start)."""
        return [run[0] for run in self.time_statements([sql.strip().rstrip(";")], runs)]

    def time_statements(self, stmts: list[str], runs: int) -> list[list[float]]:
        """Per run, the server-side time (ms) of each statement, every run in one client session."""
        if self.backend == "sqlite":
            import sqlite3
            conn = sqlite3.connect(f"file:{self.sqlite_file}?mode=ro", uri=True)
            try:
                out = []
                for _ in range(runs):
                    per = []
                    for s in stmts:
                        t0 = time.perf_counter()
                        conn.execute(s).fetchall()
                        per.append((time.perf_counter() - t0) * 1000.0)
                    out.append(per)
                return out
            finally:
                conn.close()
        script = "\\o /dev/null\n\\timing on\n" + "".join(s + ";\n" for s in stmts) * runs
        argv = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.pg_url]
        p = subprocess.run(argv, input=script.encode(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=1800)
        if p.returncode != 0:
            raise RuntimeError(f"{argv[0]}: {p.stderr.decode(errors='replace')}")
        times = [float(x) for x in re.findall(r"Time: ([0-9.]+) ms", p.stdout.decode())]
        if len(times) != runs * len(stmts):
            raise RuntimeError(f"expected {runs * len(stmts)} timings from psql, got {len(times)}")
        return [times[i * len(stmts):(i + 1) * len(stmts)] for i in range(runs)]

    def explain(self, sql: str) -> str:
        prefix = "EXPLAIN QUERY PLAN " if self.backend == "sqlite" else "EXPLAIN ANALYZE "
        rows = self.query(prefix + sql.strip().rstrip(";"))
        return "\n".join(" | ".join(r) for r in rows)


def whole_dashboard_statements(org_id: int, today: dt.date) -> list[str]:
    """bench/sql/dashboard-whole.sql for one organisation and the dashboard's default period
    (the twelve calendar months ending with today's month, as `reports::api::default_from`)."""
    first = today.replace(day=1)
    y, m = first.year, first.month - 11
    while m <= 0:
        m, y = m + 12, y - 1
    start = dt.date(y, m, 1)
    text = "\n".join(line for line in (BENCH / "sql" / "dashboard-whole.sql").read_text().splitlines()
                     if not line.startswith("--"))
    for key, value in (("__ORG_ID__", str(org_id)), ("__FROM_TS__", f"{start} 00:00:00"),
                       ("__AFTER_TS__", f"{today + dt.timedelta(days=1)} 00:00:00"),
                       ("__FROM__", str(start)), ("__TO__", str(today))):
        text = text.replace(key, value)
    return [s.strip() for s in text.split(";") if s.strip()]


# ------------------------------------------------------------------ the roster file


FIRST = ["Alex", "Jordan", "Casey", "Riley", "Morgan", "Taylor", "Jamie", "Avery", "Quinn", "Rowan",
         "Harper", "Emerson", "Dakota", "Reese", "Skyler", "Parker", "Sage", "Hayden", "Kendall"]
LAST = ["Ashdown", "Brightwater", "Cobbleton", "Dunmore", "Elsworth", "Fairbank", "Glenholm",
        "Hartwell", "Ivesdale", "Jarrow", "Kingsley", "Larkfield", "Merriton", "Northcote",
        "Oakhurst", "Pembury", "Quarrington", "Ravensworth", "Stenhouse", "Thornbury"]


def write_roster(db: Database, org_id: int, rows: int, path: Path) -> tuple[int, int]:
    """A roster of `rows` rows: every booking number the organisation already has (with the
    person's own name and date of birth, and a new expected release date, so each one is matched
    and updated), then new people with new booking numbers. (matched, new)."""
    known = db.query(
        "SELECT i.value, p.last_name, p.first_name, p.date_of_birth FROM participant_identifiers i "
        "JOIN participants p ON p.id = i.participant_id "
        f"WHERE i.org_id = {org_id} AND i.kind = 'booking_number' AND p.merged_into_id IS NULL "
        f"ORDER BY i.value LIMIT {rows // 2}")
    today = dt.date.today()
    rnd = random.Random(20261123)
    with open(path, "w", newline="") as f:
        f.write("booking_number,last_name,first_name,date_of_birth,booking_date,"
                "expected_release_date,release_date\n")
        for value, last, first, dob in known:
            f.write(f"{value},{last},{first},{dob[:10]},{today - dt.timedelta(days=40)},"
                    f"{today + dt.timedelta(days=20)},\n")
        for n in range(rows - len(known)):
            dob = today - dt.timedelta(days=rnd.randrange(18 * 365, 64 * 365))
            f.write(f"RB{n:09d},{rnd.choice(LAST)}-{n},{rnd.choice(FIRST)},{dob},"
                    f"{today - dt.timedelta(days=rnd.randrange(1, 90))},"
                    f"{today + dt.timedelta(days=rnd.randrange(1, 120))},\n")
    return len(known), rows - len(known)


# ------------------------------------------------------------------ one backend at one scale


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "?"
    return {"nproc": os.cpu_count(), "memory": mem, "cpu": cpu, "kernel": platform.release(),
            "load_at_start": load}


def measure(backend: str, scale: int, args, hello: dict | None) -> dict:
    work = Path(args.workdir) / f"{backend}-{scale}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    logfile = work / "log.txt"
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["THROUGHCARE_DATA_DIR"] = str(work / "data")
    env.setdefault("RUST_LOG", "warn")
    pg_url = None
    if backend == "postgres":
        dbname = f"tc_bench_{scale}"
        base = args.pg_url.rsplit("/", 1)[0]
        subprocess.run(["psql", "-X", "-q", args.pg_url, "-c", f"DROP DATABASE IF EXISTS {dbname}",
                        "-c", f"CREATE DATABASE {dbname}"], check=True, timeout=120,
                       stdout=subprocess.DEVNULL)
        pg_url = f"{base}/{dbname}"
        env["DATABASE_URL"] = pg_url
    db = Database(backend, work / "data" / "throughcare.sqlite3", pg_url)
    res: dict = {"backend": backend, "scale": scale, "rows": [], "notes": [], "pages": []}

    log(f"{backend} {scale}: generating the demo")
    secs, _ = run_cmd([args.bin, "demo", "--scale", "state", "--participants", str(scale),
                       "--no-serve", "--fresh"], env, logfile, timeout=args.max_generate)
    res["generate_s"] = secs
    counts = {}
    for table in ("participants", "encounters", "episodes", "users", "facilities", "audit_log"):
        counts[table] = int(db.query(f"SELECT count(*) FROM {table}")[0][0])
    res["counts"] = counts
    if backend == "sqlite":
        res["db_bytes"] = sum(p.stat().st_size for p in (work / "data").glob("throughcare.sqlite3*"))
    else:
        res["db_bytes"] = int(db.query("SELECT pg_database_size(current_database())")[0][0])
    org_id, org_slug = db.query(
        "SELECT o.id, o.slug FROM users u JOIN organisations o ON o.id = u.org_id "
        f"WHERE u.email = 'peer{DEMO}'")[0]
    org_id = int(org_id)
    tokens = {}
    for role in ("admin", "peer"):
        _, out = run_cmd([args.bin, "token", "create", "--email", f"{role}{DEMO}"], env, logfile)
        tokens[role] = out.strip().splitlines()[-1]

    port = free_port()
    # The harness measures pages, not the second sign-in step: the demo's admin has no second
    # factor, and admins must have one by default (decision 0020), so their pages would redirect.
    serve_env = {**env, "THROUGHCARE_MFA_REQUIRED_ROLES": ""}
    server = Server([args.bin, "serve", "--listen", f"127.0.0.1:{port}"], port, serve_env, logfile)
    try:
        server.wait_ready("/healthz")
        res["rss_idle_mb"] = (server.status_kb("VmRSS") or 0) / 1024
        sessions = {role: sign_in(port, f"{role}{DEMO}")
                    for role in ("admin", "peer", "supervisor")}

        def auth(kind: str, role: str) -> dict:
            if kind == "page":
                return {"Cookie": sessions[role]}
            return {"Authorization": f"Bearer {tokens[role]}"}

        status, _, body = req(port, "GET", "/api/v1/caseload", auth("api", "peer"))
        if status != 200:
            raise RuntimeError(f"/api/v1/caseload as the peer: HTTP {status}")
        caseload = json.loads(body)
        if not caseload:
            raise RuntimeError("the demo peer has an empty caseload")
        pid = caseload[len(caseload) // 2]["participant_id"]
        res["participant_id"] = pid
        res["caseload_rows"] = len(caseload)
        # An instant with its offset: a time without one is read on the organisation's clock
        # (decision 0040), and the demo's organisations are on US zones.
        occurred = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        encounter = json.dumps({"mode": "phone", "outcome": "completed", "occurred_at": occurred,
                                "duration_minutes": 15, "topics": ["engaging"]}).encode()

        # (label, kind, role, method, path, body, optional)
        endpoints = [
            ("home page", "page", "peer", "GET", "/", None, False),
            # The supervisor's home: the team's missed targets, not heard from and reentry's
            # overdue, over every line of the team (76 peers in the demo; decision 0059).
            ("supervisor home page", "page", "supervisor", "GET", "/", None, False),
            ("caseload page", "page", "peer", "GET", "/caseload", None, False),
            ("participant page", "page", "peer", "GET", f"/participants/{pid}", None, False),
            ("facility access report page", "page", "admin", "GET",
             "/workforce/reports/facility-access", None, False),
            ("certification barriers report page", "page", "admin", "GET",
             "/workforce/reports/certification-barriers", None, False),
            ("dashboard page", "page", "admin", "GET", "/dashboard", None, True),
            ("API me", "api", "peer", "GET", "/api/v1/me", None, False),
            ("API caseload", "api", "peer", "GET", "/api/v1/caseload", None, False),
            ("API participant", "api", "peer", "GET", f"/api/v1/participants/{pid}", None, False),
            ("API encounter create", "api", "peer", "POST",
             f"/api/v1/participants/{pid}/encounters", encounter, False),
            ("API facility access report", "api", "admin", "GET",
             "/api/v1/reports/facility-access", None, False),
            ("API certification barriers report", "api", "admin", "GET",
             "/api/v1/reports/certification-barriers", None, False),
            ("API dashboard", "api", "admin", "GET", "/api/v1/reports/dashboard", None, True),
            ("API GPRA tracker", "api", "admin", "GET", "/api/v1/reports/gpra", None, True),
        ]
        for label, kind, role, method, path, body, optional in endpoints:
            headers = auth(kind, role)
            if body is not None:
                headers["Content-Type"] = "application/json"
            probe_path = path
            status, _, data = req(port, method, probe_path, headers, body)
            row = {"label": label, "kind": kind, "role": role, "method": method, "path": path,
                   "status": status, "bytes": len(data)}
            if status == 404 and optional:
                row["missing"] = "not available in this build"
                res["rows"].append(row)
                log(f"{backend} {scale}: {path}: not available in this build")
                continue
            if status >= 300:
                row["missing"] = f"HTTP {status} on the probe"
                res["rows"].append(row)
                res["notes"].append(f"{label} ({path}) answered HTTP {status}; not measured")
                continue
            if kind == "page":
                res["pages"].append((label, path, len(data)))
            log(f"{backend} {scale}: wrk {method} {path}")
            row.update(wrk(port, path, args, work, method=method, headers=headers, body=body))
            row["rss_after_mb"] = (server.status_kb("VmRSS") or 0) / 1024
            res["rows"].append(row)
            if label == "API caseload":
                # The same read without concurrency: separates the query's own cost from
                # waiting on other requests (every read appends to the audit chain).
                log(f"{backend} {scale}: wrk {method} {path} (1 connection)")
                solo = dict(row, label="API caseload, 1 connection")
                solo.update(wrk(port, path, args, work, method=method, headers=headers,
                                connections=1))
                res["rows"].append(solo)

        # Reports after a write: the programme reports are kept in memory until a write to a
        # table they read (decisions 0010, 0056), so wrk's loop above mostly measures memory.
        # Here each report is asked for right after an encounter is recorded: the cost a
        # supervisor pays on the first view after a peer recorded a contact (the parts that
        # read contacts are computed; a report that reads none is served from memory, and the
        # "computed" column says so).
        res["after_write"] = []
        for label, path in (("API dashboard", "/api/v1/reports/dashboard"),
                            ("API GPRA tracker", "/api/v1/reports/gpra"),
                            ("API facility access report", "/api/v1/reports/facility-access")):
            log(f"{backend} {scale}: {path} after a write ({args.after_write_runs} runs)")
            times, computed = [], 0
            for _ in range(args.after_write_runs):
                st, _, _ = req(port, "POST", f"/api/v1/participants/{pid}/encounters",
                               dict(auth("api", "peer"), **{"Content-Type": "application/json"}),
                               encounter)
                if st != 201 and st != 200:
                    raise RuntimeError(f"encounter create before {path}: HTTP {st}")
                t0 = time.perf_counter()
                st, hdrs, _ = req(port, "GET", path, auth("api", "admin"))
                times.append((time.perf_counter() - t0) * 1000)
                if st != 200:
                    raise RuntimeError(f"{path} after a write: HTTP {st}")
                computed += 1 if dict((k.lower(), v) for k, v in hdrs).get("x-report-cache") == "miss" else 0
            res["after_write"].append({"label": label, "path": path, "runs": len(times),
                                       "computed": computed,
                                       "median_ms": statistics.median(times),
                                       "max_ms": max(times)})

        # Reports computed from scratch: since decision 0056 a report (and each part of the
        # dashboard) is recomputed only when a table it reads was written, so a recorded contact
        # leaves most of it in memory. The whole computation is measured here by asking each
        # time for a period no request has asked for before (a key the cache cannot hold).
        res["from_scratch"] = []
        for label, path in (("API dashboard", "/api/v1/reports/dashboard"),
                            ("API facility access report", "/api/v1/reports/facility-access")):
            log(f"{backend} {scale}: {path} from scratch ({args.after_write_runs} runs)")
            times, computed = [], 0
            for i in range(args.after_write_runs):
                start = (dt.date.today() - dt.timedelta(days=366 + i)).isoformat()
                q = f"{path}?from={start}&to={dt.date.today().isoformat()}"
                t0 = time.perf_counter()
                st, hdrs, _ = req(port, "GET", q, auth("api", "admin"))
                times.append((time.perf_counter() - t0) * 1000)
                if st != 200:
                    raise RuntimeError(f"{q} from scratch: HTTP {st}")
                computed += 1 if dict((k.lower(), v) for k, v in hdrs).get("x-report-cache") == "miss" else 0
            res["from_scratch"].append({"label": label, "path": path, "runs": len(times),
                                        "computed": computed,
                                        "median_ms": statistics.median(times),
                                        "max_ms": max(times)})

        # The dashboard right after the peer's first screens were loaded under load (issue 19,
        # item 5: a second harness once saw the kept dashboard recomputed on PostgreSQL after
        # them). Each step is a wrk run of its own, one after the other, as in that harness.
        res["after_peer_load"] = []
        for label, kind, role, path in (("home page", "page", "peer", "/"),
                                        ("API caseload", "api", "peer", "/api/v1/caseload"),
                                        ("API dashboard", "api", "admin", "/api/v1/reports/dashboard")):
            log(f"{backend} {scale}: sequence: wrk GET {path}")
            r = wrk(port, path, args, work, headers=auth(kind, role))
            r["label"], r["path"] = label, path
            res["after_peer_load"].append(r)

        # Bulk CSV exports: a download whose cost is its rows, so measured as one client sees
        # it (time to the first byte, rows a second), not by wrk's latency percentiles.
        res["exports"] = []
        for name in ("encounters", "participants"):
            path = f"/api/v1/exports/{name}.csv"
            log(f"{backend} {scale}: GET {path} ({EXPORT_RUNS} runs)")
            runs = [stream(port, path, auth("api", "admin")) for _ in range(EXPORT_RUNS)]
            if any(x["status"] != 200 for x in runs):
                res["notes"].append(f"{path} answered HTTP {runs[0]['status']}; not measured")
                continue
            res["exports"].append({
                "label": f"{name}.csv", "path": path, "runs": len(runs),
                "rows": runs[0]["rows"], "bytes": runs[0]["bytes"],
                "first_byte_ms": statistics.median(x["first_byte_ms"] for x in runs),
                "first_byte_max_ms": max(x["first_byte_ms"] for x in runs),
                "seconds": statistics.median(x["seconds"] for x in runs),
                "rows_per_s": statistics.median(x["rows"] / x["seconds"] for x in runs),
            })

        # Sign-in: Argon2-bound by design. A short burst, rotating over every active account
        # (they share the demo password), so no account signs in more than a few times.
        emails = [r[0] for r in db.query(
            "SELECT email FROM users WHERE disabled_at IS NULL ORDER BY email")]
        csrf = secrets.token_urlsafe(32)[:43].ljust(43, "x")
        _, hdrs, page = req(port, "GET", "/sign-in")
        csrf_name, _ = cookie_names(hdrs)
        res["pages"].insert(0, ("sign-in page", "/sign-in", len(page)))
        dur = min(args.duration, args.signin_duration)
        log(f"{backend} {scale}: wrk POST /sign-in ({dur} s burst over {len(emails)} accounts)")
        row = {"label": "sign-in (POST, Argon2)", "kind": "page", "role": "all staff",
               "method": "POST", "path": "/sign-in", "status": 303, "bytes": 0}
        row.update(wrk(port, "/sign-in", args, work, method="POST",
                       headers={"Cookie": f"{csrf_name}={csrf}",
                                "Content-Type": "application/x-www-form-urlencoded"},
                       signin_emails=emails, csrf=csrf, duration=dur,
                       connections=min(args.connections, 2)))
        row["rss_after_mb"] = (server.status_kb("VmRSS") or 0) / 1024
        res["rows"].insert(0, row)
        res["rss_peak_mb"] = (server.status_kb("VmHWM") or 0) / 1024
        res["rss_end_mb"] = (server.status_kb("VmRSS") or 0) / 1024
    finally:
        server.stop()

    # Floors: the dashboard aggregate straight in the database client.
    sql = "\n".join(line for line in (BENCH / "sql" / f"dashboard.{backend}.sql").read_text()
                    .splitlines() if not line.startswith("--")).replace("__ORG_ID__", str(org_id))
    log(f"{backend} {scale}: dashboard SQL floor")
    times = db.time_query(sql, args.sql_runs)
    res["floor_ms"] = {"median": statistics.median(times), "min": min(times), "max": max(times),
                       "runs": len(times)}
    res["floor_rows"] = len(db.query(sql))
    try:
        res["floor_plan"] = db.explain(sql)
    except RuntimeError as e:
        res["floor_plan"] = f"(no plan: {e})"

    # The whole dashboard's floor: every aggregate it reads, by hand, for the default period.
    log(f"{backend} {scale}: whole-dashboard SQL floor")
    stmts = whole_dashboard_statements(org_id, dt.date.today())
    per_run = db.time_statements(stmts, args.sql_runs)
    sums = [sum(r) for r in per_run]
    res["floor_whole_ms"] = {
        "median": statistics.median(sums), "min": min(sums), "max": max(sums),
        "runs": len(sums), "statements": len(stmts),
        "per_statement_median": [statistics.median(r[i] for r in per_run) for i in range(len(stmts))],
    }

    # Roster import through the CLI, end to end (process start, parse, match, write).
    if args.roster_rows > 0:
        facility = db.query(
            "SELECT facility_id, count(*) FROM participant_identifiers "
            f"WHERE org_id = {org_id} AND facility_id IS NOT NULL "
            "GROUP BY facility_id ORDER BY 2 DESC LIMIT 1")
        fac = facility[0][0] if facility else db.query("SELECT id FROM facilities LIMIT 1")[0][0]
        csv = work / "roster.csv"
        matched, new = write_roster(db, org_id, args.roster_rows, csv)
        log(f"{backend} {scale}: roster import of {args.roster_rows} rows "
            f"({matched} known booking numbers, {new} new people)")
        try:
            secs, out = run_cmd([args.bin, "import", "roster", str(csv), "--org", org_slug,
                                 "--facility", str(fac), "--create-unmatched"], env, logfile,
                                timeout=args.max_import, check=False)
            summary = next((line for line in out.splitlines() if " rows in " in line), out[-300:])
            # The results go into the repository: no machine paths in them.
            summary = summary.replace(str(csv), "roster.csv")
        except subprocess.TimeoutExpired:
            secs = None
            summary = f"stopped: did not finish within {args.max_import} s (--max-import)"
            res["notes"].append(f"roster import of {args.roster_rows:,} rows {summary}")
        res["roster"] = {"rows": args.roster_rows, "matched_in_file": matched, "new_in_file": new,
                         "seconds": secs, "summary": summary.strip()}
    shutil.rmtree(work / "data", ignore_errors=True)
    if backend == "postgres":
        subprocess.run(["psql", "-X", "-q", args.pg_url, "-c", f"DROP DATABASE IF EXISTS tc_bench_{scale}"],
                       timeout=300, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    res["hello"] = hello
    return res


def measure_hello(args) -> dict:
    port = free_port()
    logfile = Path(args.workdir) / "hello-log.txt"
    server = Server([args.hello_bin, "--listen", f"127.0.0.1:{port}"], port, dict(os.environ), logfile)
    try:
        server.wait_ready("/", timeout=30)
        log("hello-world ceiling: wrk GET /")
        r = wrk(port, "/", args, Path(args.workdir))
        r["rss_peak_mb"] = (server.status_kb("VmHWM") or 0) / 1024
        return r
    finally:
        server.stop()


# ------------------------------------------------------------------ reporting


def fmt_ms(x) -> str:
    return "–" if x is None else (f"{x:.2f}" if x < 10 else f"{x:.1f}")


def verdict(ok: bool) -> str:
    return "met" if ok else "**MISSED**"


def report(res: dict, args, mach: dict, date: str) -> str:
    b, n = res["backend"], res["scale"]
    goal = P95_GOAL_MS[b]
    hello = res.get("hello")
    c = res["counts"]
    lines = [
        f"# Throughcare benchmark: {b}, {n:,} participants",
        "",
        f"- date: {date}",
        f"- command: `{args.command}`",
        f"- machine: {mach['nproc']} CPUs ({mach['cpu']}), {mach['memory']} memory, "
        f"Linux {mach['kernel']}; load average at start {mach['load_at_start']}",
        f"- load: wrk {args.threads} thread(s), {args.connections} connections, {args.duration} s "
        f"per endpoint (sign-in: {min(args.duration, args.signin_duration)} s burst, "
        f"{min(args.connections, 2)} connections), from a separate process on 127.0.0.1",
        f"- data: {c['participants']:,} participants, {c['encounters']:,} encounters, "
        f"{c['episodes']:,} episodes, {c['users']:,} staff, {c['facilities']:,} facilities; "
        f"database {res['db_bytes'] / 1e6:,.0f} MB",
        f"- demo generation: {res['generate_s']:.1f} s",
        f"- server RSS: {res.get('rss_idle_mb', 0):.0f} MB idle after start, peak (VmHWM) "
        f"{res.get('rss_peak_mb', 0):.0f} MB (goal < {RSS_GOAL_MB:.0f} MB: "
        f"{verdict(res.get('rss_peak_mb', 0) < RSS_GOAL_MB)})",
        f"- participant measured: {res.get('participant_id')} (the middle of the demo peer's "
        f"caseload of {res.get('caseload_rows')})",
        "",
        f"## Latency and throughput (goal: every page and API read p95 < {goal:.0f} ms on {b})",
        "",
        "| endpoint | request | p50 ms | p95 ms | p99 ms | req/s | errors | p95 ÷ hello p95 | "
        "req/s ÷ hello req/s | p95 goal | RSS after, MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in res["rows"]:
        req = f"`{r['method']} {r['path']}` as {r['role']}"
        if "missing" in r:
            lines.append(f"| {r['label']} | {req} | {r['missing']} ||||||||| |")
            continue
        ratio_p95 = f"{r['p95_us'] / hello['p95_us']:.0f}×" if hello and hello["p95_us"] else "–"
        ratio_rps = f"{r['rps'] / hello['rps']:.4f}" if hello and hello["rps"] else "–"
        is_read = r["method"] == "GET"
        if not completed(r):
            # No request finished within the run: that is a failure to measure, never a pass.
            g = "**NOT MEASURED: no request completed in the run**"
        else:
            g = verdict(r["p95_ms"] < goal) if is_read else "(write; no goal)"
        lines.append(f"| {r['label']} | {req} | {fmt_ms(r['p50_ms'])} | {fmt_ms(r['p95_ms'])} | "
                     f"{fmt_ms(r['p99_ms'])} | {r['rps']:,.0f} | {r['errors']} | {ratio_p95} | "
                     f"{ratio_rps} | {g} | {r.get('rss_after_mb', 0):.0f} |")
    if hello:
        lines.append(f"| hello-world ceiling | `GET /` (bench/hello, axum only) | "
                     f"{fmt_ms(hello['p50_ms'])} | {fmt_ms(hello['p95_ms'])} | "
                     f"{fmt_ms(hello['p99_ms'])} | {hello['rps']:,.0f} | {hello['errors']} | 1× | 1 | | {hello.get('rss_peak_mb', 0):.0f} |")
    fl = res["floor_ms"]
    dash = next((r for r in res["rows"] if r["label"] == "API dashboard" and "missing" not in r), None)
    lines += ["", "## Dashboard against its raw-SQL floor", "",
              f"`bench/sql/dashboard.{b}.sql` run {fl['runs']} times in one "
              f"{FLOOR_CLIENT[b]} session: median {fmt_ms(fl['median'])} ms "
              f"(min {fmt_ms(fl['min'])}, max {fmt_ms(fl['max'])}), {res['floor_rows']} weeks."]
    if dash and not completed(dash):
        lines.append(f"Dashboard API: no request completed within the {dash['duration_s']} s run "
                     f"(each took longer), so it is more than "
                     f"{dash['duration_s'] * 1000 / fl['median']:.0f}× the floor (goal ≤ "
                     f"{DASHBOARD_RATIO_GOAL:.0f}×: **MISSED**).")
    elif dash:
        ratio = dash["p50_ms"] / fl["median"] if fl["median"] else float("inf")
        lines.append(f"Dashboard API p50 {fmt_ms(dash['p50_ms'])} ms = {ratio:.1f}× this "
                     f"one-chart floor (from memory).")
    else:
        lines.append("The dashboard is not available in this build, so there is no ratio yet.")
    dash_cold = next((a for a in res.get("after_write", []) if a["label"] == "API dashboard"), None)
    if dash_cold and fl["median"]:
        ratio = dash_cold["median_ms"] / fl["median"]
        lines.append(f"Right after a write (computed, not from memory): median "
                     f"{fmt_ms(dash_cold['median_ms'])} ms = {ratio:.1f}× this one-chart floor. "
                     f"The goal (≤ {DASHBOARD_RATIO_GOAL:.0f}×) is judged against the whole "
                     f"dashboard's floor below (decision 0013).")
    whole = res.get("floor_whole_ms")
    if whole:
        lines += ["", f"The whole dashboard's floor, `bench/sql/dashboard-whole.sql` (its "
                  f"{whole['statements']} aggregates, by hand, for the default period), run "
                  f"{whole['runs']} times in one {FLOOR_CLIENT[b]} session: median "
                  f"{fmt_ms(whole['median'])} ms (min {fmt_ms(whole['min'])}, max "
                  f"{fmt_ms(whole['max'])}); per statement (median ms): "
                  + ", ".join(fmt_ms(x) for x in whole["per_statement_median"]) + "."]
        if dash_cold and whole["median"]:
            ratio = dash_cold["median_ms"] / whole["median"]
            lines.append(f"Right after a write, the computed dashboard (median "
                         f"{fmt_ms(dash_cold['median_ms'])} ms) = {ratio:.1f}× the whole floor "
                         f"(goal ≤ {DASHBOARD_RATIO_GOAL:.0f}×: "
                         f"{verdict(ratio <= DASHBOARD_RATIO_GOAL)}).")
    if res.get("after_write"):
        lines += ["", "## Reports right after a write", "",
                  "Each report requested once right after an encounter is recorded, one request "
                  "at a time: the parts that read contacts are computed, and a report that reads "
                  "none is served from memory (the computed column counts the runs that computed; "
                  "decision 0056).", "",
                  "| report | path | runs | computed | median ms | max ms | goal |",
                  "|---|---|---:|---:|---:|---:|---|"]
        for a in res["after_write"]:
            lines.append(f"| {a['label']} | `{a['path']}` | {a['runs']} | {a['computed']} | "
                         f"{fmt_ms(a['median_ms'])} | {fmt_ms(a['max_ms'])} | "
                         f"{verdict(a['median_ms'] < goal)} |")
    if res.get("from_scratch"):
        lines += ["", "## Reports computed from scratch", "",
                  "Each report asked once for a period no request asked for before, so every part "
                  "of it is computed (a recorded contact recomputes only the parts that read "
                  "contacts, decision 0056), one request at a time.", "",
                  "| report | path | runs | computed | median ms | max ms |",
                  "|---|---|---:|---:|---:|---:|"]
        for a in res["from_scratch"]:
            lines.append(f"| {a['label']} | `{a['path']}` | {a['runs']} | {a['computed']} | "
                         f"{fmt_ms(a['median_ms'])} | {fmt_ms(a['max_ms'])} |")
    lines += ["", "<details><summary>query plan of the floor</summary>", "", "```",
              res.get("floor_plan", ""), "```", "", "</details>", ""]
    if res.get("after_peer_load"):
        lines += ["## The dashboard after the peer's first screens under load", "",
                  "wrk runs one after the other, as above: the peer's home page, the API caseload, "
                  "then the API dashboard (kept in memory unless a write moved the data version).",
                  "", "| step | path | p50 ms | p95 ms | req/s | errors | goal |",
                  "|---|---|---:|---:|---:|---:|---|"]
        for r in res["after_peer_load"]:
            lines.append(f"| {r['label']} | `{r['path']}` | {fmt_ms(r['p50_ms'])} | "
                         f"{fmt_ms(r['p95_ms'])} | {r['rps']:,.0f} | {r['errors']} | "
                         f"{verdict(completed(r) and r['p95_ms'] < goal)} |")
        lines.append("")
    if res.get("exports"):
        lines += ["## Bulk CSV exports (goals: first byte < "
                  f"{EXPORT_FIRST_BYTE_GOAL_MS:.0f} ms, ≥ {EXPORT_ROWS_GOAL:,} rows/s)", "",
                  "Each export read to its end by one client, "
                  f"{EXPORT_RUNS} times; medians.", "",
                  "| export | rows | MB | first byte ms (max) | whole s | rows/s | goals |",
                  "|---|---:|---:|---:|---:|---:|---|"]
        for e in res["exports"]:
            ok = (e["first_byte_ms"] < EXPORT_FIRST_BYTE_GOAL_MS
                  and e["rows_per_s"] >= EXPORT_ROWS_GOAL)
            lines.append(f"| `{e['path']}` | {e['rows']:,} | {e['bytes'] / 1e6:,.1f} | "
                         f"{fmt_ms(e['first_byte_ms'])} ({fmt_ms(e['first_byte_max_ms'])}) | "
                         f"{e['seconds']:.2f} | {e['rows_per_s']:,.0f} | {verdict(ok)} |")
        lines.append("")
    lines += ["## Page sizes (goal: each HTML page < 60 KB)", "", "| page | path | bytes | goal |",
              "|---|---|---:|---|"]
    for label, path, size in res["pages"]:
        lines.append(f"| {label} | `{path}` | {size:,} | {verdict(size < PAGE_GOAL_BYTES)} |")
    ro = res.get("roster")
    if ro:
        if ro["seconds"] is None:
            v = "**MISSED**: " + ro["summary"]
            ro = dict(ro, seconds=float(args.max_import))
        elif ro["rows"] >= 100_000:
            v = verdict(ro["seconds"] < ROSTER_GOAL_S)
        else:
            v = f"the goal is for 100,000 rows; {ro['rows'] / ro['seconds']:,.0f} rows/s here"
        lines += ["", f"## Roster import (goal: 100,000 rows < {ROSTER_GOAL_S:.0f} s)", "",
                  f"`throughcare import roster FILE --org ... --facility ... --create-unmatched`, "
                  f"{ro['rows']:,} rows, timed end to end: **{ro['seconds']:.1f} s** "
                  f"({v}); the file had {ro['matched_in_file']:,} "
                  f"known booking numbers and {ro['new_in_file']:,} new people.", "",
                  f"CLI summary: `{ro['summary']}`"]
    if res["notes"]:
        lines += ["", "## Notes", ""] + [f"- {x}" for x in res["notes"]]
    return "\n".join(lines) + "\n"


def completed(row: dict) -> bool:
    """Did any request of this load finish within the run? (If none did, every one took longer
    than the run: a miss that must never read as a fast figure.)"""
    return bool(row.get("requests") or row.get("rps") or row.get("p95_ms"))


def summary(all_res: list[dict], args, mach: dict, date: str, hello: dict | None) -> str:
    lines = [f"### Results of {date} (paste into BENCHMARKS.md)", "",
             f"Command: `{args.command}`  ",
             f"Machine: {mach['nproc']} CPUs ({mach['cpu']}), {mach['memory']}; load average at "
             f"start {mach['load_at_start']}. wrk {args.threads} thread(s), {args.connections} "
             f"connections, {args.duration} s per endpoint.", ""]
    if hello:
        lines += [f"Hello-world ceiling (bench/hello): p50 {fmt_ms(hello['p50_ms'])} ms, p95 "
                  f"{fmt_ms(hello['p95_ms'])} ms, {hello['rps']:,.0f} req/s.", ""]
    labels = []
    for r in all_res:
        for row in r["rows"]:
            if row["label"] not in labels:
                labels.append(row["label"])
    cols = [f"{r['backend']} {r['scale']:,}" for r in all_res]
    lines += ["p95 latency in ms (req/s in brackets):", "",
              "| endpoint | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    for label in labels:
        cells = []
        for r in all_res:
            row = next((x for x in r["rows"] if x["label"] == label), None)
            if row is None:
                cells.append("–")
            elif "missing" in row:
                cells.append("n/a" if "not available" in row["missing"] else row["missing"])
            elif not completed(row):
                cells.append(f"> {row['duration_s'] * 1000:,} (0) ✗ none completed")
            else:
                mark = "" if row["method"] != "GET" or row["p95_ms"] < P95_GOAL_MS[r["backend"]] else " ✗"
                cells.append(f"{fmt_ms(row['p95_ms'])} ({row['rps']:,.0f}){mark}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def cell(f):
        return " | ".join(f(r) for r in all_res)

    def roster_cell(r):
        ro = r.get("roster")
        if ro and ro["seconds"] is None:
            return f"> {args.max_import} s ({ro['rows']:,} rows, stopped)"
        return f"{ro['seconds']:.1f} ({ro['rows']:,} rows)" if ro else "–"

    def largest(r):
        return f"{max((p[2] for p in r['pages']), default=0):,}"
    lines += [
        "| demo generation (s) | " + cell(lambda r: f"{r['generate_s']:.1f}") + " |",
        "| server peak RSS (MB) | " + cell(lambda r: f"{r.get('rss_peak_mb', 0):.0f}") + " |",
        "| dashboard SQL floor, median (ms) | " + cell(lambda r: fmt_ms(r["floor_ms"]["median"])) + " |",
        "| whole-dashboard SQL floor, median (ms) | "
        + cell(lambda r: fmt_ms(r["floor_whole_ms"]["median"]) if r.get("floor_whole_ms") else "–") + " |",
        "| API dashboard right after a write ÷ whole floor | "
        + cell(lambda r: next((f"{a['median_ms'] / r['floor_whole_ms']['median']:.1f}×"
                               for a in r.get("after_write", []) if a["label"] == "API dashboard"
                               and r.get("floor_whole_ms") and r["floor_whole_ms"]["median"]), "–")) + " |",
        *[f"| {lab} right after a write, median (max) ms | "
          + cell(lambda r, lab=lab: next((f"{fmt_ms(a['median_ms'])} ({fmt_ms(a['max_ms'])})"
                                          + ("" if a["computed"] == a["runs"] else f" {a['computed']}/{a['runs']} computed")
                                          for a in r.get("after_write", []) if a["label"] == lab), "–"))
          + " |" for lab in ("API dashboard", "API GPRA tracker", "API facility access report")],
        *[f"| {lab} from scratch, median (max) ms | "
          + cell(lambda r, lab=lab: next((f"{fmt_ms(a['median_ms'])} ({fmt_ms(a['max_ms'])})"
                                          for a in r.get("from_scratch", []) if a["label"] == lab), "–"))
          + " |" for lab in ("API dashboard", "API facility access report")],
        "| API dashboard from scratch ÷ whole floor | "
        + cell(lambda r: next((f"{a['median_ms'] / r['floor_whole_ms']['median']:.1f}×"
                               for a in r.get("from_scratch", []) if a["label"] == "API dashboard"
                               and r.get("floor_whole_ms") and r["floor_whole_ms"]["median"]), "–")) + " |",
        "| roster import (s) | " + cell(roster_cell) + " |",
        "| API dashboard after the peer's pages under load, p95 ms | "
        + cell(lambda r: next((fmt_ms(x["p95_ms"]) for x in r.get("after_peer_load", [])
                               if x["label"] == "API dashboard"), "–")) + " |",
        *[f"| {lab} export: first byte ms, rows/s | "
          + cell(lambda r, lab=lab: next((f"{fmt_ms(e['first_byte_ms'])}, {e['rows_per_s']:,.0f}"
                                          for e in r.get("exports", []) if e["label"] == lab), "–"))
          + " |" for lab in ("encounters.csv", "participants.csv")],
        "| largest page (bytes) | " + cell(largest) + " |",
        "",
        "n/a: not available in this build. ✗: a read whose p95 misses the goal "
        f"({P95_GOAL_MS['sqlite']:.0f} ms SQLite, {P95_GOAL_MS['postgres']:.0f} ms PostgreSQL).",
    ]
    # Growth of p95 between the smallest and largest scale of each backend.
    for b in sorted({r["backend"] for r in all_res}):
        rs = sorted((r for r in all_res if r["backend"] == b), key=lambda r: r["scale"])
        if len(rs) < 2:
            continue
        lo, hi = rs[0], rs[-1]
        growth = []
        for row in lo["rows"]:
            if "missing" in row or row["method"] != "GET":
                continue
            other = next((x for x in hi["rows"] if x["label"] == row["label"] and "missing" not in x), None)
            if not completed(row):
                continue
            if other and not completed(other):
                growth.append(f"{row['label']} > {other['duration_s'] * 1000 / row['p95_ms']:.0f}× ✗")
            elif other and row["p95_ms"] > 0:
                g = other["p95_ms"] / row["p95_ms"]
                growth.append(f"{row['label']} {g:.1f}×{'' if g < 2 else ' ✗'}")
        lines += ["", f"p95 growth on {b} from {lo['scale']:,} to {hi['scale']:,} participants "
                  f"(goal < 2×): " + "; ".join(growth) + "."]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--bin", required=True)
    r.add_argument("--hello-bin")
    r.add_argument("--workdir", required=True)
    r.add_argument("--backends", default="sqlite,postgres")
    r.add_argument("--scales", default="10000,100000,1000000")
    r.add_argument("--pg-url")
    r.add_argument("--duration", type=int, default=10)
    r.add_argument("--signin-duration", type=int, default=5)
    r.add_argument("--connections", type=int, default=4)
    r.add_argument("--threads", type=int, default=1)
    r.add_argument("--roster-rows", type=int, default=100_000)
    r.add_argument("--sql-runs", type=int, default=11)
    r.add_argument("--after-write-runs", type=int, default=5)
    r.add_argument("--max-generate", type=int, default=6 * 3600)
    r.add_argument("--max-import", type=int, default=3600)
    r.add_argument("--results", default=str(BENCH / "results"))
    r.add_argument("--command", default="bench/run")
    sm = sub.add_parser("summarise", help="rebuild <date>-summary.md from a run's per-scale JSON "
                        "files (for a run stopped before its last scale)")
    sm.add_argument("--results", required=True)
    sm.add_argument("--date", required=True, help="the run's date, as in its file names")
    sm.add_argument("--command", required=True, help="the command the run was started with")
    sm.add_argument("--duration", type=int, default=10)
    sm.add_argument("--connections", type=int, default=4)
    sm.add_argument("--threads", type=int, default=1)
    sm.add_argument("--max-import", type=int, default=3600)
    args = ap.parse_args()
    if args.cmd == "summarise":
        return summarise(args)
    # bench/run stops this with SIGTERM; unwind so every `finally` stops its server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    date = dt.datetime.now().strftime("%Y-%m-%d")
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M %Z").strip()
    mach = machine()
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    hello = measure_hello(args) if args.hello_bin else None
    all_res = []
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend not in ("sqlite", "postgres"):
            raise SystemExit(f"--backends: unknown backend {backend!r}")
        if backend == "postgres" and not args.pg_url:
            raise SystemExit("postgres needs --pg-url")
        for scale in [int(s) for s in args.scales.split(",") if s.strip()]:
            res = measure(backend, scale, args, hello)
            all_res.append(res)
            out = results / f"{date}-{backend}-{scale}.md"
            out.write_text(report(res, args, mach, stamp))
            (results / f"{date}-{backend}-{scale}.json").write_text(json.dumps(res, indent=1, default=str))
            log(f"wrote {out}")
    out = results / f"{date}-summary.md"
    out.write_text(summary(all_res, args, mach, stamp, hello))
    log(f"wrote {out}")
    print(out.read_text())
    return 0


def summarise(args) -> int:
    results = Path(args.results)
    files = sorted(results.glob(f"{args.date}-*-*.json"))
    all_res = [json.loads(f.read_text()) for f in files]
    if not all_res:
        raise SystemExit(f"no {args.date}-*.json results in {results}")
    order = {"sqlite": 0, "postgres": 1}
    all_res.sort(key=lambda r: (order.get(r["backend"], 9), r["scale"]))
    mach = machine()
    mach["load_at_start"] = "not recorded (summarised after the run)"
    out = results / f"{args.date}-summary.md"
    out.write_text(summary(all_res, args, mach, args.date, all_res[0].get("hello")))
    print(out.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
