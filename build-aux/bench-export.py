#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The export benchmark: `fulcrumctl run ACCOUNT lever_list_opportunities --all` against the
# simulator, next to the sequential baseline (bench-baseline.py), on loopback only.
#
#   build-aux/bench-export.py BUILD_DIR [--opportunities N] [--cpu-runs N] [--keep]
#
# 1. Lever's limits (10 requests/s, burst 20) and a page time of about 500 ms
#    (--latency-ms 200:3): records/s of both, Fulcrum's share of the rate ceiling
#    (10 requests/s x 100 records), the 429 answers each caused (from /_sim/stats), the ratio.
# 2. No latency and no rate limit: CPU seconds per 10,000 records of both (the child's
#    rusage, user + system), median of --cpu-runs runs, and the ratio.
# Both exports must hold every opportunity once. Everything runs in a temporary XDG dir set
# with a file keyring of its own; nothing of the user's is read or written.
import argparse
import base64
import hashlib
import html
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

RATE = 10.0
BURST = 20
PAGE = 100
CEILING = RATE * PAGE  # records/s a client can get under the rate limit
SCOPES = ["offline_access", "users:read:admin", "opportunities:read:admin",
          "confidential:access:admin"]

TARGET_CEILING = 0.90
TARGET_RATIO = 4.0
TARGET_CPU_RATIO = 1.0 / 3.0

# Never through a proxy: everything here is on 127.0.0.1.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


NO_REDIRECT_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bench:
    def __init__(self, build_dir, root):
        self.fulcrumctl = os.path.join(build_dir, "src", "cli", "fulcrumctl")
        self.baseline = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "bench-baseline.py")
        if not os.access(self.fulcrumctl, os.X_OK):
            sys.exit(f"bench-export: no fulcrumctl at {self.fulcrumctl}; build first")
        self.root = root
        self.env = {k: v for k, v in os.environ.items()
                    if not k.lower().endswith("_proxy") and not k.startswith("FULCRUM_")}
        for name in ("config", "data", "cache", "runtime"):
            path = os.path.join(root, name)
            os.makedirs(path, mode=0o700)
            self.env[f"XDG_{name.upper()}_{'DIR' if name == 'runtime' else 'HOME'}"] = path
        self.env["SECRET_BACKEND"] = "file"
        self.env["SECRET_FILE_TEST_PATH"] = os.path.join(root, "keyring")
        self.env["SECRET_FILE_TEST_PASSWORD"] = secrets.token_hex(16)
        self.env["LC_ALL"] = "C.UTF-8"
        self.sim = None
        self.sim_info = None

    # fulcrumctl

    def ctl(self, *args, stdin=None):
        result = subprocess.run([self.fulcrumctl, *args], env=self.env, input=stdin,
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            sys.exit(f"bench-export: fulcrumctl {' '.join(args)} failed "
                     f"({result.returncode}): {result.stderr.strip()}")
        return result.stdout.strip()

    def start_sim(self, tag, opportunities, sim_args):
        self.client_id = f"bench-{tag}"
        self.client_secret = secrets.token_hex(24)
        self.fulcrum_callback = f"http://127.0.0.1:{free_port()}/callback/{tag}"
        self.baseline_callback = f"http://127.0.0.1:{free_port()}/callback/baseline"
        self.sim = subprocess.Popen(
            [self.fulcrumctl, "sim", "serve", "--port", "0", "--opportunities", str(opportunities),
             "--client-id", self.client_id, "--client-secret", self.client_secret,
             "--redirect-uri", self.fulcrum_callback, "--redirect-uri", self.baseline_callback,
             *sim_args],
            env=self.env, stdout=subprocess.PIPE, text=True)
        line = self.sim.stdout.readline()
        if not line:
            sys.exit("bench-export: fulcrumctl sim serve did not start")
        self.sim_info = json.loads(line)

    def stop_sim(self):
        if self.sim is not None:
            self.sim.terminate()
            self.sim.wait(timeout=30)
            self.sim = None

    def sim_stats(self):
        with OPENER.open(self.sim_info["url"] + "/_sim/stats", timeout=30) as response:
            return json.load(response)

    # The browser, with urllib

    def consent(self, authorize_url):
        """Opens the consent page, answers Allow; returns where the browser is sent."""
        with NO_REDIRECT_OPENER.open(authorize_url, timeout=30) as response:
            page = response.read().decode()
        action = re.search(r'<form[^>]*method="post"[^>]*action="([^"]+)"', page, re.I)
        if action is None:
            sys.exit("bench-export: no consent form on the authorize page")
        fields = {m.group(1): html.unescape(m.group(2)) for m in re.finditer(
            r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page, re.I)}
        fields["decision"] = "allow"
        target = urllib.parse.urljoin(authorize_url, action.group(1))
        try:
            NO_REDIRECT_OPENER.open(target, urllib.parse.urlencode(fields).encode(), timeout=30)
        except urllib.error.HTTPError as e:
            if e.code in (302, 303):
                return e.headers["Location"]
            raise
        sys.exit("bench-export: the consent form did not redirect")

    def link_account(self, label):
        process = subprocess.Popen([self.fulcrumctl, "account", "link", "--profile", label,
                                    "--label", label, "--no-browser", "--timeout", "60"],
                                   env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        url = process.stdout.readline().strip()
        location = self.consent(url)
        # Under load a loopback connection is now and then reset before the request goes
        # out: load the address again, as a person would. The link's exit status says
        # whether the code arrived.
        for _ in range(3):
            try:
                with NO_REDIRECT_OPENER.open(location, timeout=30) as response:
                    response.read()
                break
            except (urllib.error.URLError, ConnectionError) as e:
                if not isinstance(getattr(e, "reason", e), ConnectionResetError):
                    break
                time.sleep(0.1)
        out, err = process.communicate(timeout=90)
        if process.returncode != 0:
            sys.exit(f"bench-export: account link failed: {err.strip()}")

    def baseline_token(self):
        """The baseline's own token: authorization code with PKCE, then the exchange."""
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        query = urllib.parse.urlencode({
            "client_id": self.client_id, "redirect_uri": self.baseline_callback,
            "response_type": "code", "state": secrets.token_urlsafe(24),
            "audience": self.sim_info["audience"], "scope": " ".join(SCOPES),
            "code_challenge": challenge, "code_challenge_method": "S256"})
        location = self.consent(self.sim_info["authorize_url"] + "?" + query)
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["code"][0]
        form = urllib.parse.urlencode({
            "grant_type": "authorization_code", "client_id": self.client_id,
            "client_secret": self.client_secret, "code": code,
            "redirect_uri": self.baseline_callback, "code_verifier": verifier}).encode()
        with OPENER.open(self.sim_info["token_url"], form, timeout=30) as response:
            return json.load(response)["access_token"]

    def set_up(self, tag, rate, burst):
        environment = self.ctl("env", "add", "--name", tag,
                               "--authorize-url", self.sim_info["authorize_url"],
                               "--token-url", self.sim_info["token_url"],
                               "--audience", self.sim_info["audience"],
                               "--api-base", self.sim_info["api_base"],
                               "--rate", str(rate), "--burst", str(burst))
        self.ctl("profile", "create", "--name", tag, "--environment", environment,
                 "--client-id", self.client_id, "--redirect-uri", self.fulcrum_callback,
                 "--scope", ",".join(SCOPES), "--secret-stdin", stdin=self.client_secret + "\n")
        self.link_account(tag)
        self.token = self.baseline_token()

    # The exports

    def timed(self, argv, env):
        """Runs a child; returns (wall seconds, CPU seconds of the child, its stdout)."""
        out_path = os.path.join(self.root, "child.out")
        with open(out_path, "w") as out:
            started = time.monotonic()
            process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.monotonic() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            err = process.stderr.read().decode()
            process.stderr.close()
        if process.returncode != 0:
            sys.exit(f"bench-export: {os.path.basename(argv[0])} failed "
                     f"({process.returncode}): {err.strip()}")
        with open(out_path) as out:
            return wall, usage.ru_utime + usage.ru_stime, out.read()

    def run_fulcrum(self, label, output):
        return self.timed([self.fulcrumctl, "run", label, "lever_list_opportunities", "--all",
                           "--param", "confidentiality=all", "--format", "jsonl",
                           "--output", output], self.env)

    def run_baseline(self, output):
        env = dict(self.env, BENCH_TOKEN=self.token)
        return self.timed([sys.executable, self.baseline, self.sim_info["api_base"], "-", output,
                           "confidentiality=all"], env)

    def counters(self):
        """The 429 answers and the API requests the simulator saw so far."""
        stats = self.sim_stats()
        return stats.get("rate_limited", 0), stats.get("api_requests", 0)


def check_ids(path, expected):
    ids = set()
    lines = 0
    with open(path) as f:
        for line in f:
            ids.add(json.loads(line)["id"])
            lines += 1
    if lines != expected or len(ids) != expected:
        sys.exit(f"bench-export: {path} holds {lines} records, {len(ids)} distinct ids; "
                 f"expected {expected}")
    return ids


def verdict(ok):
    return "ok" if ok else "MISSED"


def main():
    parser = argparse.ArgumentParser(description="Fulcrum's export benchmark")
    parser.add_argument("build_dir")
    parser.add_argument("--opportunities", type=int, default=20000)
    parser.add_argument("--cpu-runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    n = args.opportunities

    root = tempfile.mkdtemp(prefix="fulcrum-bench-")
    bench = Bench(os.path.abspath(args.build_dir), root)
    try:
        # 1. Throughput under Lever's limits.
        print(f"Export of {n} opportunities, Lever's limits ({RATE:g} requests/s, burst {BURST}), "
              "page time ~500 ms (--latency-ms 200:3)", flush=True)
        bench.start_sim("limited", n, ["--latency-ms", "200:3", "--rate", str(RATE),
                                       "--burst", str(BURST)])
        bench.set_up("limited", RATE, BURST)

        before = bench.counters()
        f_wall, f_cpu, _ = bench.run_fulcrum("limited", os.path.join(root, "fulcrum.jsonl"))
        after = bench.counters()
        f_429, f_requests = after[0] - before[0], after[1] - before[1]
        f_ids = check_ids(os.path.join(root, "fulcrum.jsonl"), n)

        before = bench.counters()
        b_wall, b_cpu, b_out = bench.run_baseline(os.path.join(root, "baseline.jsonl"))
        after = bench.counters()
        b_429, b_requests = after[0] - before[0], after[1] - before[1]
        b_ids = check_ids(os.path.join(root, "baseline.jsonl"), n)
        if f_ids != b_ids:
            sys.exit("bench-export: the two exports hold different records")
        bench.stop_sim()

        f_rate = n / f_wall
        b_rate = n / b_wall
        share = f_rate / CEILING
        ratio = f_rate / b_rate
        print(f"  fulcrumctl run --all : {f_wall:7.1f} s  {f_rate:7.0f} records/s  "
              f"429s: {f_429}  API requests: {f_requests}")
        print(f"  baseline (sequential): {b_wall:7.1f} s  {b_rate:7.0f} records/s  "
              f"429s: {b_429}  API requests: {b_requests}")
        print(f"  Fulcrum's share of the ceiling ({CEILING:.0f} records/s): {share:.1%}  "
              f"(target >= {TARGET_CEILING:.0%}: {verdict(share >= TARGET_CEILING)})")
        print(f"  Fulcrum's 429s: {f_429}  (target 0: {verdict(f_429 == 0)})")
        print(f"  Fulcrum / baseline: {ratio:.2f}x  (target >= {TARGET_RATIO:g}x: "
              f"{verdict(ratio >= TARGET_RATIO)})")
        print(f"  both exports: {n} distinct ids, the same ones", flush=True)

        # 2. CPU, with latency and rate limit off.
        print(f"\nCPU of the export of {n} opportunities, no latency, no rate limit "
              f"(median of {args.cpu_runs} runs, user + system of the child)", flush=True)
        bench.start_sim("unlimited", n, ["--latency-ms", "0", "--no-rate-limit"])
        bench.set_up("unlimited", 1000, 1000)
        f_cpus, b_cpus, f_walls, b_walls = [], [], [], []
        for i in range(args.cpu_runs):
            output = os.path.join(root, f"fulcrum-cpu-{i}.jsonl")
            wall, cpu, _ = bench.run_fulcrum("unlimited", output)
            check_ids(output, n)
            f_cpus.append(cpu)
            f_walls.append(wall)
            output = os.path.join(root, f"baseline-cpu-{i}.jsonl")
            wall, cpu, _ = bench.run_baseline(output)
            check_ids(output, n)
            b_cpus.append(cpu)
            b_walls.append(wall)
        bench.stop_sim()

        f_per = statistics.median(f_cpus) * 10000 / n
        b_per = statistics.median(b_cpus) * 10000 / n
        cpu_ratio = f_per / b_per
        print(f"  fulcrumctl run --all : {f_per:.3f} CPU s per 10,000 records  "
              f"(runs: {', '.join(f'{c:.2f}' for c in f_cpus)} s; "
              f"wall {statistics.median(f_walls):.2f} s)")
        print(f"  baseline (sequential): {b_per:.3f} CPU s per 10,000 records  "
              f"(runs: {', '.join(f'{c:.2f}' for c in b_cpus)} s; "
              f"wall {statistics.median(b_walls):.2f} s)")
        print(f"  Fulcrum / baseline CPU per record: {cpu_ratio:.2f}  (target <= 0.33: "
              f"{verdict(cpu_ratio <= TARGET_CPU_RATIO)})")
    finally:
        bench.stop_sim()
        if args.keep:
            print(f"(kept {root})")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
