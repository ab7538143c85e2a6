"""`bench/run.py --only-screening`: submitting a screening through the API with a million stored.

A submission is what a screener's client sends: POST /api/v1/screenings to start, one PUT
/api/v1/screenings/{reference}/answers per section shown (each with the row version the last
response returned), then POST /api/v1/screenings/{reference}/complete, which scores the answers
and counts the result in the tallies. The screeners are the demo's users with the role
`screener`, each with the instrument meant for their organisation's setting; their answers come
from the pools `seed_screenings` draws its rows from, so that the results submitted have the
stored mix (87 % negative, 10 % positive, 3 % immediate danger), and the result the server
returns is checked against the one the answers were drawn for.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from run import PORT, manage, percentiles, replace_section, start_server

TARGET_MS = 100
SMALL_COUNTRY = 2000  # children of the demo country the screenings are added to
PLANS = 25  # submissions planned per screener; they are used in turn
KINDS = {
    "start": "start (POST /api/v1/screenings)",
    "answers": "save one section's answers (PUT …/answers)",
    "complete": "complete: score and tally (POST …/complete)",
}

COUNT = r"""
from qorgau.agencies.models import Organisation
from qorgau.screening.models import Screening
print(Organisation.objects.count(), Screening.objects.exclude(status="in_progress").count())
"""

SETUP = r"""
import json, random
from collections import Counter
from qorgau.agencies.models import ApiToken, User
from qorgau.screening.access import instruments_for
from qorgau.screening.management.commands._screening_writer import MIX, SETTING_OF_TYPE, answer_pools
from qorgau.screening.models import Screening

rng = random.Random(7)
stored = Counter(Screening.objects.exclude(status="in_progress").values_list("band", flat=True))
chosen = []
for user in (User.objects.filter(is_active=True, role_assignments__role="screener",
                                 organisation__isnull=False)
             .select_related("organisation__type").order_by("pk")):
    home = SETTING_OF_TYPE.get(user.organisation.type.code)
    versions = [v for v in instruments_for(user) if home in v.parsed.settings]
    if versions:
        chosen.append((user, home, versions[0]))
versions = {v.pk: v for _user, _home, v in chosen}
pools = answer_pools(rng, list(versions.values()), size=40)
out = {"stored": dict(stored), "users": []}
for user, home, version in chosen:
    bands = [(b, w) for b, w in MIX if (version.pk, b) in pools]
    plans = []
    for _ in range(PLANS):
        band = rng.choices([b for b, _w in bands], [w for _b, w in bands])[0]
        answered = rng.choice(pools[(version.pk, band)])
        start = {"instrument": version.instrument.code, "setting": home,
                 "mode": rng.choice(["standard"] * 3 + ["easy_read"]),
                 "language": "kk" if user.preferred_language == "kk" else "ru",
                 "participation": ["speech"] if version.parsed.about_the_child else []}
        plans.append({"band": str(band), "start": start,
                      "sections": [answers for _code, answers in answered.sections]})
    out["users"].append({"username": user.username, "instrument": version.instrument.code,
                         "token": ApiToken.issue(user, name="bench")[1], "plans": plans})
print("JSON" + json.dumps(out, ensure_ascii=False))
"""

Samples = dict[tuple[str, str], list[float]]  # (instrument, kind) -> milliseconds


def prepare_screening(
    env: dict[str, str], screenings: int
) -> tuple[float | None, float | None]:
    """A small demo country if the database is empty, then screenings up to `screenings`;
    returns the time each took, if it ran."""
    manage("migrate", "-v", "0", env=env)
    orgs, have = map(int, manage("shell", "-c", COUNT, env=env).split()[-2:])
    country = None
    if not orgs:
        started = time.perf_counter()
        manage(
            "seed_demo", "--children", str(SMALL_COUNTRY), "--seed", "1",
            env=env, capture=False,
        )  # fmt: skip
        country = time.perf_counter() - started
        have = int(manage("shell", "-c", COUNT, env=env).split()[-1])
    else:  # the instruments a database seeded before them lacks
        manage("import_instruments", "--publish", env=env)
    if have >= screenings:
        return country, None
    started = time.perf_counter()
    manage("seed_screenings", str(screenings - have), env=env, capture=False)
    return country, time.perf_counter() - started


def call(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    token: str,
    body: dict[str, Any],
    expect: int,
) -> tuple[float, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    started = time.perf_counter()
    conn.request(method, path, body=json.dumps(body), headers=headers)
    response = conn.getresponse()
    content = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != expect:
        raise SystemExit(f"{method} {path}: HTTP {response.status} {content[:300]!r}")
    return elapsed, json.loads(content)


def submit(
    conn: http.client.HTTPConnection,
    user: dict[str, Any],
    plan: dict[str, Any],
    pause: Any = lambda: None,
) -> list[tuple[str, float]]:
    """One screening from start to result; the time of each request (pauses excluded)."""
    token, samples = user["token"], []
    pause()
    ms, screening = call(conn, "POST", "/api/v1/screenings", token, plan["start"], 201)
    samples.append(("start", ms))
    path = f"/api/v1/screenings/{screening['reference']}"
    for answers in plan["sections"]:
        pause()
        body = {"answers": answers, "version": screening["row_version"]}
        ms, screening = call(conn, "PUT", path + "/answers", token, body, 200)
        samples.append(("answers", ms))
    pause()
    body = {"version": screening["row_version"]}
    ms, screening = call(conn, "POST", path + "/complete", token, body, 200)
    samples.append(("complete", ms))
    if screening["result"] != plan["band"]:
        raise SystemExit(f"{path}: {screening['result']}, not {plan['band']}")
    return samples


def record(
    samples: Samples, instrument: str, submission: list[tuple[str, float]]
) -> None:
    for kind, ms in submission:
        samples[(instrument, kind)].append(ms)
    samples[(instrument, "whole")].append(sum(ms for _kind, ms in submission))
    samples[(instrument, "requests")].append(len(submission))


def alone(users: list[dict[str, Any]], submissions: int) -> Samples:
    """One user after another, each submission sent as soon as the last one returned."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    for user in users[:4]:  # warm-up: every gunicorn worker has parsed the instruments
        submit(conn, user, user["plans"][-1])
    samples: Samples = defaultdict(list)
    for i in range(submissions):
        user = users[i % len(users)]
        plan = user["plans"][(i // len(users)) % len(user["plans"])]
        record(samples, user["instrument"], submit(conn, user, plan))
    return samples


def together(
    users: list[dict[str, Any]], concurrent: int, each: int, think: tuple[float, float]
) -> Samples:
    """`concurrent` people at once, each pausing `think` seconds before every request."""

    def worker(k: int) -> list[tuple[str, list[tuple[str, float]]]]:
        rng = random.Random(k)  # the same pauses on every run
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        user = users[k % len(users)]
        done = []
        for i in range(each):
            plan = user["plans"][(k // len(users) + i * 3) % len(user["plans"])]
            submission = submit(
                conn, user, plan, lambda: time.sleep(rng.uniform(*think))
            )
            done.append((user["instrument"], submission))
        return done

    samples: Samples = defaultdict(list)
    with ThreadPoolExecutor(concurrent) as pool:
        for chunk in pool.map(worker, range(concurrent)):
            for instrument, submission in chunk:
                record(samples, instrument, submission)
    return samples


def bench_screening(args: argparse.Namespace, env: dict[str, str]) -> None:
    country, seeding = prepare_screening(env, args.screenings)
    out = manage("shell", "-c", SETUP.replace("PLANS", str(PLANS)), env=env)
    fx = json.loads(out.split("JSON", 1)[1])
    users = fx["users"]
    server = start_server(env, args.workers)
    try:
        one = alone(users, args.submissions)
        many = together(users, args.concurrent, args.submissions_each, args.think)
    finally:
        server.terminate()
        server.wait()
    rows = []
    for instrument in sorted({u["instrument"] for u in users}):
        for kind in (*KINDS, "whole"):
            a = percentiles(one[(instrument, kind)])
            b = percentiles(many[(instrument, kind)])
            rows.append((instrument, kind, a, b))
            print(
                f"{instrument:30} {kind:9} 1 user p50 {a[0]:6.1f} p95 {a[1]:6.1f}"
                f" | {args.concurrent} users p50 {b[0]:6.1f} p95 {b[1]:6.1f} ms",
                flush=True,
            )
    write_screening_report(args, (country, seeding), fx, rows, one)


def write_screening_report(
    args: argparse.Namespace,
    seedings: tuple[float | None, float | None],
    fx: dict[str, Any],
    rows: list[tuple[str, str, tuple[float, float], tuple[float, float]]],
    one: Samples,
) -> None:
    engine = "PostgreSQL" if args.postgres else "SQLite"
    marker = f"## Submitting a screening, {engine}, {args.screenings:,} stored screening results"
    flags = f"--only-screening --screenings {args.screenings}" + (
        " --postgres" if args.postgres else ""
    )
    stored = fx["stored"]
    total = sum(stored.values())
    mix = ", ".join(
        f"{stored.get(band, 0):,} {band.replace('_', ' ')}"
        for band in ("negative", "positive", "immediate_danger")
    )
    users = fx["users"]
    by_instrument: dict[str, int] = defaultdict(int)
    for user in users:
        by_instrument[user["instrument"]] += 1
    lines = [
        f"{marker} — {time.strftime('%Y-%m-%d')}",
        "",
        f'Command: `make bench BENCH_ARGS="{flags}"` '
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} cores; gunicorn, "
        f"{args.workers} sync workers; load generator on the same machine). "
        f"Target: p95 ≤ {TARGET_MS} ms per request.",
        "",
        f"Stored: {total:,} completed screenings ({mix}) in the demo country of "
        f"`seed_demo --children {SMALL_COUNTRY} --seed 1`, added by `seed_screenings`.",
        "",
    ]
    country, seeding = seedings
    if country is not None:
        lines += [f"Seeding the demo country: {country:.0f} s.", ""]
    if seeding is not None:
        lines += [
            f"Adding screenings up to {args.screenings:,} (`seed_screenings`): "
            f"{seeding:.0f} s ({seeding / 60:.1f} min).",
            "",
        ]
    lines += [
        "A submission is a screener's whole screening through the API with their token: "
        "start, the answers of each section shown (PUT, with the row version the last "
        "response returned), complete (scored, counted in the tallies). Screeners: "
        + ", ".join(f"{n} with {code}" for code, n in sorted(by_instrument.items()))
        + f". 1 user: {args.submissions} submissions back to back; {args.concurrent} users: "
        f"{args.submissions_each} submissions each, pausing {args.think[0]:g}–"
        f"{args.think[1]:g} s before every request. A whole submission's time is the sum "
        "of its requests' times, pauses excluded.",
        "",
        f"| instrument | request | 1 user p50 | 1 user p95 | {args.concurrent} users p50 "
        f"| {args.concurrent} users p95 |",
        "|---|---|---:|---:|---:|---:|",
    ]
    missed = []
    for instrument, kind, a, b in rows:
        if kind == "whole":
            counts = one[(instrument, "requests")]
            label = f"whole submission ({min(counts)}–{max(counts)} requests)"
        else:
            label = KINDS[kind]
            if max(a[1], b[1]) > TARGET_MS:
                missed.append(f"{instrument}: {label}")
        lines.append(
            f"| {instrument} | {label} | {a[0]:.0f} ms | {a[1]:.0f} ms "
            f"| {b[0]:.0f} ms | {b[1]:.0f} ms |"
        )
    lines += [
        "",
        (
            f"Target missed by: {'; '.join(missed)}."
            if missed
            else f"Target met: every request's p95 is within {TARGET_MS} ms, alone and "
            f"with {args.concurrent} users."
        ),
    ]
    replace_section(marker, "\n".join(lines) + "\n")
