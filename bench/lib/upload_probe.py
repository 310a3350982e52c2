"""Upload probe: how much the server's resident memory grows while it imports a large roster
sent through the HTTP API (the file is streamed, so the growth should not follow its size).

    bench/upload-probe --bin target/release/throughcare [--mb 50] [--workdir DIR]
                       [--results bench/results] [--no-create]

It makes a fresh SQLite data directory (an organisation, an admin, a bearer token, a facility),
starts the release server on it, reads its VmRSS, POSTs a generated roster of about MB megabytes
(synthetic names; every row a new person, created with create_unmatched unless --no-create)
to /api/v1/imports/roster, samples VmRSS and VmHWM every 20 ms during the upload, and writes
bench/results/<date>-upload-sqlite-<MB>mb.md and .json with the peak growth in MB.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench  # noqa: E402

FIRST = ["Avery", "Blake", "Casey", "Dana", "Emery", "Finley", "Gray", "Harper", "Jesse", "Kai",
         "Logan", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Taylor", "Wren"]
LAST = ["Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Ginkgo", "Hawthorn", "Ironwood",
        "Juniper", "Kapok", "Larch", "Maple", "Nutmeg", "Oak", "Pine", "Quince", "Rowan",
        "Spruce", "Teak", "Upas", "Viburnum", "Willow", "Yew"]
HEADER = ("booking_number,last_name,first_name,date_of_birth,booking_date,"
          "expected_release_date,release_date\n")


def write_roster(path: Path, megabytes: int) -> int:
    """About `megabytes` MB of rows, each a different synthetic person. Returns the row count."""
    rng = random.Random(20261201)
    today = dt.date.today()
    want = megabytes * 1024 * 1024
    rows = 0
    size = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        size += len(HEADER)
        while size < want:
            dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 50))
            booked = today - dt.timedelta(days=rng.randrange(1, 60))
            expected = today + dt.timedelta(days=rng.randrange(1, 200))
            line = (f"BKU{rows:08d},{rng.choice(LAST)}{rows % 997},{rng.choice(FIRST)},"
                    f"{dob.isoformat()},{booked.isoformat()},{expected.isoformat()},\n")
            f.write(line)
            size += len(line)
            rows += 1
    return rows


def status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--results", default=str(Path(__file__).resolve().parent.parent / "results"))
    ap.add_argument("--no-create", action="store_true",
                    help="do not create unmatched people (they are listed to check instead)")
    ap.add_argument("--command", default=None, help="the command line, for the report")
    args = ap.parse_args()
    own_tmp = args.workdir is None
    work = Path(args.workdir or tempfile.mkdtemp(prefix="throughcare-upload."))
    data = work / "upload-data"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    env = dict(os.environ, THROUGHCARE_DATA_DIR=str(data), RUST_LOG="warn")
    env.pop("DATABASE_URL", None)
    server = None
    try:
        run = lambda *a, **k: subprocess.run([args.bin, *a], env=env, capture_output=True,  # noqa: E731
                                             text=True, check=True, **k)
        run("migrate")
        run("org", "add", "upload-bench", "--name", "Upload Bench Programme")
        run("user", "add", "--org", "upload-bench", "--role", "admin", "--email",
            "admin@upload.bench.example", "--name", "Bench Admin",
            input="upload-bench-password-1\n")
        token = run("token", "create", "--email", "admin@upload.bench.example").stdout.split()[-1]
        roster = work / "roster.csv"
        bench.log(f"writing a {args.mb} MB roster")
        rows = write_roster(roster, args.mb)
        size = roster.stat().st_size
        port = bench.free_port()
        server = subprocess.Popen([args.bin, "serve", "--listen", f"127.0.0.1:{port}"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                bench.req(port, "GET", "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        auth = {"Authorization": f"Bearer {token}"}
        st, _, body = bench.req(port, "POST", "/api/v1/facilities",
                                dict(auth, **{"Content-Type": "application/json"}),
                                json.dumps({"name": "Bench County Jail", "kind": "jail",
                                            "setting": "short"}).encode())
        assert st == 201, body
        facility = json.loads(body)["id"]
        # Settle, then the baseline.
        for _ in range(20):
            bench.req(port, "GET", "/api/v1/me", auth)
        time.sleep(1)
        base_rss = status_mb(server.pid, "VmRSS")
        base_hwm = status_mb(server.pid, "VmHWM")
        peak = {"rss": base_rss}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                try:
                    peak["rss"] = max(peak["rss"], status_mb(server.pid, "VmRSS"))
                except OSError:
                    return
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        create = "false" if args.no_create else "true"
        bench.log(f"uploading {size / 1048576:.1f} MB ({rows} rows) through the API")
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
        with roster.open("rb") as f:
            conn.request("POST", f"/api/v1/imports/roster?facility={facility}&create_unmatched={create}",
                         body=f, headers=dict(auth, **{"Content-Type": "text/csv",
                                                       "Content-Length": str(size)}))
            resp = conn.getresponse()
            answer = resp.read()
        secs = time.monotonic() - started
        done.set()
        sampler.join()
        end_rss = status_mb(server.pid, "VmRSS")
        end_hwm = status_mb(server.pid, "VmHWM")
        if resp.status != 200:
            print(f"upload failed: {resp.status} {answer[:500]!r}", file=sys.stderr)
            return 1
        summary = json.loads(answer)
        res = {
            "date": dt.date.today().isoformat(),
            "backend": "sqlite",
            "file_mb": round(size / 1048576, 1),
            "rows": rows,
            "create_unmatched": not args.no_create,
            "seconds": round(secs, 1),
            "rss_before_mb": round(base_rss, 1),
            "rss_peak_mb": round(peak["rss"], 1),
            "rss_after_mb": round(end_rss, 1),
            "rss_growth_peak_mb": round(peak["rss"] - base_rss, 1),
            "hwm_before_mb": round(base_hwm, 1),
            "hwm_after_mb": round(end_hwm, 1),
            "hwm_growth_mb": round(end_hwm - base_hwm, 1),
            "answer_bytes": len(answer),
            "run": {k: summary.get(k) for k in ("status", "rows_read", "created", "matched",
                                                  "rows_to_check")},
            "command": args.command or " ".join(sys.argv),
            "machine": bench.machine(),
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if own_tmp:
            shutil.rmtree(work, ignore_errors=True)
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    stem = f"{res['date']}-upload-sqlite-{args.mb}mb"
    (results / f"{stem}.json").write_text(json.dumps(res, indent=2) + "\n")
    md = f"""# Upload memory, SQLite, {res['file_mb']} MB roster ({res['date']})

Command: `{res['command']}`

The server (`{Path(args.bin).name}`, built `{"release" if "release" in args.bin else "debug"}`) on a fresh SQLite data directory; one roster of {res['rows']} rows
({res['file_mb']} MB, synthetic names, every row a person the programme does not know,
{"each created (create_unmatched=true)" if res['create_unmatched'] else "each listed to check, none created (create_unmatched=false)"}) POSTed to `/api/v1/imports/roster` with its
Content-Length; VmRSS sampled every 20 ms during the upload.

| | MB |
|---|---:|
| VmRSS before | {res['rss_before_mb']} |
| VmRSS peak during the upload | {res['rss_peak_mb']} |
| **peak growth** | **{res['rss_growth_peak_mb']}** |
| VmRSS after | {res['rss_after_mb']} |
| VmHWM before / after | {res['hwm_before_mb']} / {res['hwm_after_mb']} |

Upload and import: {res['seconds']} s; the answer was {res['answer_bytes']} bytes
(run {res['run']}). Machine: {res['machine']}.
"""
    (results / f"{stem}.md").write_text(md)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
