"""Memory probe: the server's resident memory through a burst of sign-ins, concurrent CSV
exports and concurrent dashboards, on an existing demo data directory. A quick check of the
allocator's behaviour (the full harness, bench/run, measures peak RSS after all its load).

    bench/memory-probe --bin target/release/throughcare --data-dir DIR [--env NAME=VALUE ...]

DIR holds a demo database (throughcare demo --scale state --participants N --no-serve --fresh,
run with THROUGHCARE_DATA_DIR=DIR). It prints VmRSS and VmHWM (MB) after each step.
"""
import argparse
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server")
    ap.add_argument("--sign-ins", type=int, default=200)
    args = ap.parse_args()
    env = dict(os.environ, THROUGHCARE_DATA_DIR=args.data_dir, RUST_LOG="warn")
    for kv in args.env:
        k, _, v = kv.partition("=")
        env[k] = v
    token = subprocess.run([args.bin, "token", "create", "--email", "admin@demo.throughcare.example"],
                           env=env, capture_output=True, text=True, check=True).stdout.split()[-1]
    port = bench.free_port()
    server = subprocess.Popen([args.bin, "serve", "--listen", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                bench.req(port, "GET", "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)

        def mb(field: str) -> int:
            for line in Path(f"/proc/{server.pid}/status").read_text().splitlines():
                if line.startswith(field):
                    return int(line.split()[1]) // 1024
            return 0

        def show(step: str) -> None:
            print(f"{step:<34} VmRSS {mb('VmRSS'):>5} MB   VmHWM {mb('VmHWM'):>5} MB", flush=True)

        def parallel(n: int, f, items) -> None:
            ts = [threading.Thread(target=lambda part=items[i::n]: [f(x) for x in part]) for i in range(n)]
            [t.start() for t in ts]
            [t.join() for t in ts]

        def get(path: str) -> None:
            r = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                       headers={"Authorization": f"Bearer {token}"})
            urllib.request.urlopen(r, timeout=600).read()

        db = sqlite3.connect(Path(args.data_dir) / "throughcare.sqlite3")
        emails = [r[0] for r in db.execute("SELECT email FROM users LIMIT ?", (args.sign_ins,))]
        show("started")
        parallel(2, lambda e: bench.sign_in(port, e), emails)
        show(f"after {len(emails)} sign-ins (2 at a time)")
        parallel(4, get, ["/api/v1/exports/encounters.csv"] * 4)
        show("after 4 concurrent CSV exports")
        parallel(4, get, ["/api/v1/reports/dashboard"] * 4)
        show("after 4 concurrent dashboards")
    finally:
        server.terminate()
        server.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
