"""Measures Qorgau at scale: case list (page and API), case detail, search by name and by IIN,
the referral inboxes and dashboards, and the deadline sweep over all open referrals.

Runs against a database of its own (never the demo's), seeded with `seed_demo --children N` when it
holds fewer children, and with `seed_referrals` to `--referrals` referrals, behind gunicorn on
127.0.0.1. Three loads per request:

- one user, each request sent as soon as the last one returned;
- 20 concurrent users, each pausing between requests as a person reading a page does (a think
  time drawn uniformly from 1 to 3 s, the pattern of common load-testing tools), so that 20
  people work at once without the machine being driven beyond what they would ask of it;
- saturation: the same 20 users with no pause at all, which measures throughput (requests per
  second) rather than what any person would wait.

With `--only-screening` it measures instead the submission of a screening through the API (start,
the answers section by section, complete) with `--screenings` stored results in the database:
a small demo country (`seed_demo --children 2000`) if the database is empty, then
`seed_screenings` up to that many completed screenings.

Writes the figures to docs/benchmarks.md, each run to its own section. Usage:

    make bench BENCH_ARGS="--children 1000000"                       # SQLite (var/bench.sqlite3)
    make bench BENCH_ARGS="--children 1000000 --postgres"            # PostgreSQL (qorgau_bench)
    make bench BENCH_ARGS="--only-screening --screenings 1000000"    # add --postgres likewise
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = 8765
RESULTS = ROOT / "docs" / "benchmarks.md"


@dataclass
class Target:
    name: str
    path: str
    api: bool = False


def manage(*args: str, env: dict[str, str], capture: bool = True) -> str:
    out = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return out.stdout if capture else ""


def prepare(env: dict[str, str], children: int) -> float | None:
    """Migrates and seeds when the database holds fewer children than asked; returns the seeding time."""
    manage("migrate", "-v", "0", env=env)
    have = int(
        manage(
            "shell",
            "-c",
            "from qorgau.cases.models import Person; print(Person.objects.filter(kind='child').count())",
            env=env,
        ).split()[-1]
    )
    if have >= children:
        return None
    if have:
        raise SystemExit(
            f"The bench database holds {have} children, fewer than {children}: remove it first."
        )
    started = time.perf_counter()
    manage(
        "seed_demo", "--children", str(children), "--seed", "1", env=env, capture=False
    )
    return time.perf_counter() - started


def prepare_referrals(env: dict[str, str], referrals: int) -> float | None:
    """Adds referrals in bulk up to `referrals`; returns the time it took, if any were added."""
    have = int(
        manage(
            "shell",
            "-c",
            "from qorgau.referrals.models import Referral; print(Referral.objects.count())",
            env=env,
        ).split()[-1]
    )
    if have >= referrals:
        return None
    started = time.perf_counter()
    manage("seed_referrals", str(referrals - have), env=env, capture=False)
    if "postgres" in env["DATABASE_URL"]:
        manage("dbshell", "--", "-c", "VACUUM ANALYZE referrals_referral", env=env)
    return time.perf_counter() - started


SWEEP = r"""
import json, time
from datetime import timedelta
from django.utils import timezone
from qorgau.referrals.models import Referral
from qorgau.referrals.services import escalate_overdue

# The referrals that fell due since the last sweep: the late ones left unescalated, topped up
# to SWEEP_DUE by handing some already escalated back, as if their deadline had just passed.
now = timezone.now()
late = Referral.objects.overdue(now)
waiting = Referral.objects.awaiting_recipient().count()
missing = SWEEP_DUE - late.filter(escalation_level=0).count()
if missing > 0:
    ids = list(late.filter(escalation_level=2).values_list("pk", flat=True)[:missing])
    Referral.objects.filter(pk__in=ids).update(escalation_level=0, escalated_at=None)
# What fell due while nothing swept (since seeding) is escalated first, in batches.
backlog = 0
while late.filter(escalation_level=0).count() > SWEEP_DUE:
    backlog += escalate_overdue()
missing = SWEEP_DUE - late.filter(escalation_level=0).count()
if missing > 0:
    ids = list(late.filter(escalation_level=2).values_list("pk", flat=True)[:missing])
    Referral.objects.filter(pk__in=ids).update(escalation_level=0, escalated_at=None)
due = late.filter(escalation_level=0).count()
started = time.perf_counter()
escalated = escalate_overdue()
busy = time.perf_counter() - started
while escalate_overdue():  # any referral that fell due meanwhile
    pass
quiet = []
for _ in range(5):
    started = time.perf_counter()
    escalate_overdue()
    quiet.append(time.perf_counter() - started)
print("JSON" + json.dumps({"waiting": waiting, "late": late.count(), "due": due,
    "escalated": escalated, "busy": busy, "quiet": sorted(quiet)[2]}))
"""


def sweep(env: dict[str, str], due: int) -> dict[str, float]:
    out = manage("shell", "-c", SWEEP.replace("SWEEP_DUE", str(due)), env=env)
    return dict(json.loads(out.split("JSON", 1)[1]))


SETUP = r"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from qorgau.agencies.models import ApiToken, User
from qorgau.cases.models import Case, CaseMember

def session_for(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key

loads = (CaseMember.objects.filter(removed_at__isnull=True, user__role_assignments__role="caseworker")
         .values("user").annotate(n=Count("id")).order_by("n"))
median = list(loads)[len(loads) // 2]
worker = User.objects.get(pk=median["user"])
national = User.objects.filter(role_assignments__role="national_coordinator").first()
mine = Case.objects.visible_to(worker).select_related("child").order_by("-updated_at")[:200]
names = [f"{c.child.given_name} {c.child.family_name}" for c in mine][:20]
iins = [c.child.iin for c in mine if c.child.iin][:20]
numbers = [c.number for c in mine][:20]
from qorgau.referrals.models import Referral
def staff(org, role):
    return User.objects.filter(organisation_id=org, is_active=True, role_assignments__role=role)

# The organisation with the most referrals waiting that has a caseworker and a supervisor.
busiest = next(row for row in Referral.objects.filter(due_at__isnull=False)
               .values("to_organisation").annotate(n=Count("pk")).order_by("-n")
               if staff(row["to_organisation"], "caseworker").exists()
               and staff(row["to_organisation"], "supervisor").exists())
org = busiest["to_organisation"]
receiving = (staff(org, "caseworker").annotate(n=Count("referrals_addressed")).order_by("-n").first())
supervisor = staff(org, "supervisor").first()
coordinators = User.objects.filter(role_assignments__role="regional_coordinator", is_active=True)
coordinator = (coordinators.filter(organisation__region=receiving.organisation.region_id).first()
               or coordinators.first())
out = {"caseload": median["n"], "inbox": busiest["n"], "users": {}}
for label, user in (("caseworker", worker), ("national coordinator", national),
                    ("inbox caseworker", receiving), ("supervisor", supervisor),
                    ("regional coordinator", coordinator)):
    out["users"][label] = {"session": session_for(user), "token": ApiToken.issue(user, name="bench")[1]}
out.update(names=names, iins=iins, numbers=numbers)
print("JSON" + json.dumps(out, ensure_ascii=False))
"""


def fixtures(env: dict[str, str]) -> dict[str, object]:
    out = manage("shell", "-c", SETUP, env=env)
    return json.loads(out.split("JSON", 1)[1])


def start_server(env: dict[str, str], workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request(
                "GET", "/ru/help/"
            )
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def get(conn: http.client.HTTPConnection, path: str, auth: dict[str, str]) -> float:
    started = time.perf_counter()
    conn.request("GET", path, headers=auth)
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status}")
    return elapsed


CASE_USERS = ("caseworker", "national coordinator")
REFERRAL_TARGETS = {
    "inbox caseworker": [
        Target("My work, the caseworker's today (page)", "/ru/"),
        Target("organisation inbox (page)", "/ru/referrals/inbox/"),
        Target("organisation inbox (API)", "/api/v1/referrals/inbox", api=True),
        Target("my referrals (page)", "/ru/referrals/mine/"),
    ],
    "supervisor": [Target("dashboard (page)", "/ru/dashboard/")],
    "regional coordinator": [Target("dashboard (page)", "/ru/dashboard/")],
}


def targets(fx: dict[str, object]) -> list[Target]:
    from urllib.parse import quote

    names, iins, numbers = fx["names"], fx["iins"], fx["numbers"]  # type: ignore[misc]
    return [
        Target("case list page", "/ru/cases/"),
        Target("case list API", "/api/v1/cases", api=True),
        Target("case detail page", "/ru/cases/{number}/"),
        Target("case detail API", "/api/v1/cases/{number}", api=True),
        Target("search by name (page)", "/ru/cases/?q={name}"),
        Target("search by IIN (page)", "/ru/cases/?q={iin}"),
        Target("search by name (API)", "/api/v1/cases?q={name}", api=True),
    ], {"number": numbers, "name": [quote(n) for n in names], "iin": iins}  # type: ignore[return-value]


def path_for(target: Target, values: dict[str, list[str]], i: int) -> str:
    path = target.path
    for key, options in values.items():
        if "{" + key + "}" in path:
            path = path.replace("{" + key + "}", options[i % len(options)])
    return path


def auth_for(target: Target, user: dict[str, str]) -> dict[str, str]:
    if target.api:
        return {"Authorization": f"Bearer {user['token']}"}
    return {"Cookie": f"sessionid={user['session']}"}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def run_one(
    target: Target, values: dict[str, list[str]], user: dict[str, str], n: int
) -> tuple[float, float]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    auth = auth_for(target, user)
    for i in range(3):
        get(conn, path_for(target, values, i), auth)
    return percentiles([get(conn, path_for(target, values, i), auth) for i in range(n)])


def run_concurrent(
    target: Target,
    values: dict[str, list[str]],
    user: dict[str, str],
    users: int,
    each: int,
    think: tuple[float, float],
) -> tuple[float, float, float]:
    """p50 and p95 latency, and throughput in requests per second, of `users` working at once.

    Each user pauses for a think time drawn from `think` (seconds) before every request; with
    (0, 0) the users send back to back and the figures measure saturation.
    """

    def worker(k: int) -> list[float]:
        pause = random.Random(k)  # the same pauses on every run
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        auth = auth_for(target, user)
        samples = []
        for i in range(each):
            time.sleep(pause.uniform(*think))
            samples.append(get(conn, path_for(target, values, k * each + i), auth))
        return samples

    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        samples = [s for chunk in pool.map(worker, range(users)) for s in chunk]
    throughput = len(samples) / (time.perf_counter() - started)
    return (*percentiles(samples), throughput)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--requests", type=int, default=40, help="per target, one user")
    parser.add_argument("--concurrent", type=int, default=20)
    parser.add_argument(
        "--each", type=int, default=10, help="requests per concurrent user per target"
    )
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 3.0),
        metavar=("MIN", "MAX"),
        help="seconds a concurrent user pauses before each request",
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--referrals", type=int, default=3_000_000)
    parser.add_argument(
        "--sweep-due",
        type=int,
        default=200,
        help="referrals falling due between two sweeps (one a minute)",
    )
    parser.add_argument(
        "--only-referrals",
        action="store_true",
        help="skip the case list, detail and search targets",
    )
    parser.add_argument(
        "--only-screening",
        action="store_true",
        help="measure submitting a screening through the API, nothing else",
    )
    parser.add_argument(
        "--screenings",
        type=int,
        default=1_000_000,
        help="completed screenings stored (--only-screening)",
    )
    parser.add_argument(
        "--submissions",
        type=int,
        default=40,
        help="screenings submitted by one user (--only-screening)",
    )
    parser.add_argument(
        "--submissions-each",
        type=int,
        default=5,
        help="screenings submitted by each concurrent user (--only-screening)",
    )
    args = parser.parse_args()

    db = (
        "postgres://postgres@127.0.0.1:5432/qorgau_bench"
        if args.postgres
        else f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    )
    env = {**os.environ, "DATABASE_URL": db, "QORGAU_DB_CONN_MAX_AGE": "600"}
    if args.postgres:
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "qorgau_bench"],
            capture_output=True,
        )
    if args.only_screening:
        from submit_screening import bench_screening  # bench/submit_screening.py

        bench_screening(args, env)
        return
    seeding = prepare(env, args.children)
    referral_seeding = prepare_referrals(env, args.referrals)
    swept = sweep(env, args.sweep_due)
    print(
        f"deadline sweep: {swept['escalated']:.0f} escalated of {swept['waiting']:,.0f} waiting"
        f" in {swept['busy']:.2f} s; with nothing due {swept['quiet'] * 1000:.0f} ms",
        flush=True,
    )
    fx = fixtures(env)
    server = start_server(env, args.workers)
    rows = []
    try:
        tlist, values = targets(fx)
        for label, user in fx["users"].items():  # type: ignore[attr-defined]
            chosen = tlist if label in CASE_USERS else REFERRAL_TARGETS.get(label, [])
            if args.only_referrals and label in CASE_USERS:
                continue
            for target in chosen:
                one = run_one(target, values, user, args.requests)
                many = run_concurrent(
                    target, values, user, args.concurrent, args.each, args.think
                )
                flat_out = run_concurrent(
                    target, values, user, args.concurrent, 5, (0.0, 0.0)
                )
                rows.append((label, target.name, one, many, flat_out))
                print(
                    f"{label:22} {target.name:24} 1 user p50 {one[0]:6.1f} p95 {one[1]:6.1f}"
                    f" | {args.concurrent} users p50 {many[0]:6.1f} p95 {many[1]:6.1f} ms"
                    f" | saturated {flat_out[2]:5.1f} req/s p95 {flat_out[1]:6.0f} ms",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait()
    write_report(args, db, (seeding, referral_seeding), swept, fx, rows)


def write_report(
    args: argparse.Namespace,
    db: str,
    seedings: tuple[float | None, float | None],
    swept: dict[str, float],
    fx: dict[str, object],
    rows: list[
        tuple[
            str,
            str,
            tuple[float, float],
            tuple[float, float, float],
            tuple[float, float, float],
        ]
    ],
) -> None:
    engine = "PostgreSQL" if args.postgres else "SQLite"
    seeding, referral_seeding = seedings
    # A full run replaces every section of this engine and size; a referrals-only run its own.
    marker = f"## {engine}, {args.children:,} children"
    if args.only_referrals:
        marker += (
            f", {args.referrals:,} referrals: referral pages and the deadline sweep"
        )
    flags = f"--children {args.children}" + (" --postgres" if args.postgres else "")
    if args.only_referrals:
        flags += " --only-referrals"
    lines = [
        f"{marker} — {time.strftime('%Y-%m-%d')}",
        "",
        f'Command: `make bench BENCH_ARGS="{flags}"` '
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} cores; gunicorn, {args.workers} sync workers; "
        f"load generator on the same machine). Caseworker with the median caseload: {fx['caseload']} cases. "
        f"{args.concurrent} users: each pauses {args.think[0]:g}–{args.think[1]:g} s before each of {args.each} requests; "
        f"saturated: {args.concurrent} users with no pause, 5 requests each.",
        "",
    ]
    if seeding is not None:
        lines += [f"Seeding {args.children:,} children: {seeding / 60:.1f} min.", ""]
    if referral_seeding is not None:
        lines += [
            f"Adding referrals up to {args.referrals:,} (`seed_referrals`): {referral_seeding / 60:.1f} min.",
            "",
        ]
    lines += [
        f"{args.referrals:,} referrals, {swept['waiting']:,.0f} waiting for their recipient, "
        f"{swept['late']:,.0f} of them late; the busiest inbox holds {fx['inbox']:,} waiting. "
        f"Deadline sweep over all open referrals: {swept['busy']:.2f} s when {swept['due']:.0f} "
        f"had fallen due ({swept['escalated']:.0f} escalated, each with its notifications, "
        f"timeline and audit events); {swept['quiet'] * 1000:.0f} ms (median of 5) when none had.",
        "",
    ]
    lines += [
        f"| user | request | 1 user p50 | 1 user p95 | {args.concurrent} users p50 | {args.concurrent} users p95 "
        "| saturated throughput | saturated p95 |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, name, one, many, flat_out in rows:
        lines.append(
            f"| {label} | {name} | {one[0]:.0f} ms | {one[1]:.0f} ms | {many[0]:.0f} ms | {many[1]:.0f} ms "
            f"| {flat_out[2]:.0f} req/s | {flat_out[1]:.0f} ms |"
        )
    replace_section(marker, "\n".join(lines) + "\n")


def replace_section(marker: str, section: str) -> None:
    """Writes `section` to docs/benchmarks.md in place of every section whose title starts
    with `marker`, keeping the others."""
    existing = (
        RESULTS.read_text()
        if RESULTS.exists()
        else "# Benchmarks\n\nFigures from `make bench`; the target is p95 ≤ 150 ms per request.\n\n"
    )
    kept = [
        block
        for block in existing.split("\n## ")
        if not ("## " + block).startswith(marker) and not block.startswith(marker[3:])
    ]
    RESULTS.write_text("\n## ".join(kept).rstrip() + "\n\n" + section)
    print(f"Figures written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
