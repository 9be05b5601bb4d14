"""Time aousdctl as whole processes against what the machine can't beat, in the same run.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 5] [--output FILE]

For each size it generates a realistic database (two sources per claim, tags, a few history
events, 12 topics, every status), then times each command as a new process: the median of
`--runs` runs after one warm-up. The floors are `python -c "import json; json.load(...)"`
on the same file (reading the database at all) and `python -c "import typer"` (starting a
Typer program at all). Commands are reported as ratios to those floors, with their peak
memory against the file size, and the table is written to benchmarks/results.md.
"""

import argparse
import itertools
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
# The console script users run, installed beside this Python.
COMMAND = shutil.which("aousdctl", path=str(Path(PYTHON).parent)) or "aousdctl"
STATUSES = ("rumor", "rumor", "rumor", "reported", "reported", "confirmed", "debunked")
TOPICS = [
    "Renewal",
    "Release",
    "Cast",
    "Story",
    "Production",
    "Episodes",
    "Tone",
    "Where to watch",
    "New characters",
    "Cheong-san",
    "Music",
    "Marketing",
]
NOW = "2026-11-23T12:00:00Z"


def generated_claim(number: int, rng: random.Random) -> dict[str, object]:
    """A claim as aousdctl writes it: its fields and the events they are the fold of."""
    from aousdctl.domain import history

    status = STATUSES[number % len(STATUSES)]
    site = rng.choice(["soompi.com", "koreaherald.com", "variety.com", "netflix.com"])
    urls = [f"https://www.{site}/article/{number}", f"https://fans.example.org/thread/{number}"]
    sources = [
        {"outlet": site, "published": "2026-02", "title": f"Report {number}", "url": urls[0]},
        {"outlet": "fans.example.org", "published": None, "title": None, "url": urls[1]},
    ]
    note = "Heard on a fan forum" if number % 3 == 0 else None
    added = {
        "text": f"Claim number {number}: a cast member hinted at scene {rng.randint(1, 999)}",
        "topic": TOPICS[number % len(TOPICS)],
        "tags": ["season-2", f"tag-{number % 50}"],
        "cited": sources,
        "expected": "2025-10" if number % 10 == 0 else None,
        "note": note,
    }
    events = [_event(number, 1, "2026-01-01T00:00:00Z", "added", None, "rumor", note, added)]
    events[0]["sources"] = urls
    ladder = ["rumor", "reported", "confirmed"]
    if status in ("reported", "confirmed"):
        for before, after in itertools.pairwise(ladder[: ladder.index(status) + 1]):
            events.append(
                _event(
                    number,
                    len(events) + 1,
                    "2026-03-01T00:00:00Z",
                    "promoted",
                    before,
                    after,
                    "More outlets picked it up",
                )
            )
    if status == "debunked":
        events.append(
            _event(number, 2, "2026-04-01T00:00:00Z", "debunked", "rumor", "debunked", "Denied")
        )
    return {**history.fold(events).fields(), "history": events}


def _event(
    number: int,
    clock: int,
    at: str,
    action: str,
    before: str | None,
    after: str | None,
    note: str | None,
    change: dict[str, object] | None = None,
) -> dict[str, object]:
    from aousdctl.domain import history

    return {
        "action": action,
        "at": at,
        "change": history.sorted_change(change or {}),
        "clock": clock,
        "from": before,
        "id": history.derived_event_id("benchmark", str(number), str(clock)),
        "note": note,
        "sources": [],
        "to": after,
    }


def claim_id(number: int) -> str:
    """The id of generated claim `number`: random-looking, and the same in every run."""
    from aousdctl.domain import ids

    return ids.derived_id(number, "2026-01-01T00:00:00Z")


def generate_database(path: Path, size: int) -> None:
    """Write a database of `size` claims in the exact format aousdctl writes."""
    from aousdctl.storage import migrations
    from aousdctl.storage.database import encoded

    rng = random.Random(size)
    tables = migrations.upgrade(migrations.empty_document(), path)
    tables["claims"] = {claim_id(n): generated_claim(n, rng) for n in range(1, size + 1)}
    tables["config"]["1"] = {"title": "Benchmark tracker"}
    for order, topic in enumerate(TOPICS, start=1):
        tables["topics"][migrations.topic_key(topic)] = {
            "name": topic,
            "heading": f"{topic}?",
            "order": order,
            "intro": None,
        }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(encoded(tables)))


def diverged(pristine: Path, workdir: Path, size: int) -> tuple[Path, Path]:
    """Two descendants of the database, as two clones leave it before a merge: one promotes
    150 rumors, the other edits the wording of 150 (100 of them the same claims), so the
    merge driver has both sides' changes to weigh in 100 claims."""
    from aousdctl.domain import claims
    from aousdctl.storage.fileformat import encoded, read_tables

    rumors = [claim_id(n) for n in range(1, size + 1) if STATUSES[n % len(STATUSES)] == "rumor"]
    sides = []
    for name, chosen, change in (
        ("ours", rumors[:150], lambda c: claims.promote(c, at="2026-11-24T00:00:00Z")),
        (
            "theirs",
            rumors[50:200],
            lambda c: claims.edit(c, at="2026-11-24T01:00:00Z", text=c["text"] + " (edited)"),
        ),
    ):
        tables = read_tables(pristine)
        for key in chosen:
            changed = change(claims.as_claim(tables["claims"][key], key))
            tables["claims"][key] = {k: v for k, v in changed.items() if k != "id"}
        path = workdir / f"{name}-{size}.json"
        path.write_bytes(b"".join(encoded(tables)))
        sides.append(path)
    return sides[0], sides[1]


def import_lines(path: Path, count: int, offset: int) -> None:
    lines = (
        json.dumps(
            {
                "text": f"Imported claim {offset + n}",
                "topic": TOPICS[n % len(TOPICS)],
                "sources": [f"https://example.com/import/{offset + n}"],
                "tags": ["bulk"],
            }
        )
        for n in range(count)
    )
    path.write_text("\n".join(lines) + "\n")


@dataclass
class Measurement:
    seconds: float
    peak_kib: int


# GNU time reports the command's own peak memory. Measured from here instead (wait4), a
# child would also count this large benchmark process's pages, which it maps until it execs.
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def run_once(argv: list[str], env: dict[str, str]) -> Measurement:
    """One process: its wall time and its peak memory."""
    with tempfile.TemporaryFile() as errors:
        wrapped = [GNU_TIME, "-f", "%M", *argv] if GNU_TIME else argv
        start = time.perf_counter()
        process = subprocess.run(
            wrapped,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            check=False,
        )
        elapsed = time.perf_counter() - start
        errors.seek(0)
        report = errors.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {report}")
    peak_kib = int(report.split()[-1]) if GNU_TIME else 0
    return Measurement(elapsed, peak_kib)


def measure(
    argv_for: Callable[[int], list[str]],
    env: dict[str, str],
    runs: int,
    prepare: Callable[[int], None] | None = None,
) -> Measurement:
    """The median time (and the largest peak memory) of `runs` runs after a warm-up."""
    results = []
    for attempt in range(runs + 1):
        if prepare is not None:
            prepare(attempt)
        result = run_once(argv_for(attempt), env)
        if attempt > 0:
            results.append(result)
    return Measurement(
        statistics.median(r.seconds for r in results), max(r.peak_kib for r in results)
    )


def benchmark_size(size: int, runs: int, workdir: Path) -> list[dict[str, object]]:
    database = workdir / f"claims-{size}.json"
    generate_database(database, size)
    pristine = workdir / f"pristine-{size}.json"
    shutil.copy(database, pristine)
    file_kib = database.stat().st_size / 1024
    env = {**os.environ, "AOUSDCTL_NOW": NOW, "AOUSDCTL_DB": str(database)}
    program = [COMMAND]
    lines = workdir / "import.jsonl"
    import_lines(lines, 1000, offset=size)

    def fresh_copy(_: int) -> None:
        shutil.copy(pristine, database)

    ours, theirs = diverged(pristine, workdir, size)
    merged = workdir / f"merged-{size}.json"

    def fresh_ours(_: int) -> None:
        shutil.copy(ours, merged)

    floors = {
        "json.load": measure(
            lambda _: [PYTHON, "-c", f"import json; json.load(open({str(database)!r}))"], env, runs
        ),
        "import typer": measure(lambda _: [PYTHON, "-c", "import typer"], env, runs),
    }
    confirmed_first = next(n for n in range(1, size + 1) if STATUSES[n % len(STATUSES)] == "rumor")
    rumors = [n for n in range(confirmed_first, size + 1) if STATUSES[n % len(STATUSES)] == "rumor"]
    commands = [
        ("--version", "import typer", lambda _: [*program, "--version"], None),
        ("--help", "import typer", lambda _: [*program, "--help"], None),
        (
            "list --status confirmed --json",
            "json.load",
            lambda _: [*program, "list", "--status", "confirmed", "--json"],
            None,
        ),
        ("show", "json.load", lambda _: [*program, "show", claim_id(size // 2)], None),
        (
            "add",
            "json.load",
            lambda n: [
                *program,
                "add",
                f"Benchmark claim {n}",
                "--topic",
                "Cast",
                "--source",
                f"https://example.com/b/{n}",
            ],
            None,
        ),
        ("promote", "json.load", lambda n: [*program, "promote", claim_id(rumors[n])], None),
        ("export", "json.load", lambda _: [*program, "export"], None),
        ("doctor", "json.load", lambda _: [*program, "doctor"], None),
        ("topic list", "json.load", lambda _: [*program, "topic", "list"], None),
        ("outlets", "json.load", lambda _: [*program, "outlets"], None),
        (
            "import 1k new claims",
            "json.load",
            lambda _: [*program, "import", str(lines)],
            fresh_copy,
        ),
        (
            "merge (both sides changed 100)",
            "json.load",
            lambda _: [*program, "merge", str(pristine), str(merged), str(theirs)],
            fresh_ours,
        ),
    ]
    rows = []
    for name, floor, argv_for, prepare in commands:
        result = measure(argv_for, env, runs, prepare)
        rows.append(
            {
                "size": size,
                "command": name,
                "seconds": result.seconds,
                "floor": floor,
                "ratio": result.seconds / floors[floor].seconds,
                "memory_ratio": result.peak_kib / file_kib,
                "peak_mib": result.peak_kib / 1024,
            }
        )
    for floor, result in floors.items():
        rows.append(
            {
                "size": size,
                "command": f"floor: {floor}",
                "seconds": result.seconds,
                "floor": floor,
                "ratio": 1.0,
                "memory_ratio": result.peak_kib / file_kib,
                "peak_mib": result.peak_kib / 1024,
            }
        )
    rows.append(
        {
            "size": size,
            "command": "(database file)",
            "seconds": 0.0,
            "floor": "",
            "ratio": 0.0,
            "memory_ratio": 1.0,
            "peak_mib": file_kib / 1024,
        }
    )
    return rows


def import_into_empty(count: int, workdir: Path) -> float:
    """Seconds to import `count` new claims from JSON Lines into an empty database."""
    database = workdir / "empty.json"
    database.unlink(missing_ok=True)
    env = {**os.environ, "AOUSDCTL_NOW": NOW, "AOUSDCTL_DB": str(database)}
    run_once([COMMAND, "init"], env)
    lines = workdir / f"import-{count}.jsonl"
    import_lines(lines, count, offset=0)
    return run_once([COMMAND, "import", str(lines)], env).seconds


@dataclass
class FetchTimes:
    claims: int
    feeds: int
    entries: int
    first: float
    again: float
    inbox: float
    leads: int


def fetch_into(claims: int, feed_count: int, entries: int, workdir: Path) -> FetchTimes:
    """Fetch `feed_count` locally served feeds of `entries` entries each into a database of
    `claims` claims, then again with nothing new (which must not rewrite the file), then
    list the inbox (with its fuzzy suggestions against every claim)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    bodies = {f"/feed/{f}": feed_document(f, entries) for f in range(feed_count)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = bodies.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        database = workdir / f"fetch-{claims}.json"
        generate_database(database, claims)
        env = {**os.environ, "AOUSDCTL_NOW": NOW, "AOUSDCTL_DB": str(database)}
        base = f"http://127.0.0.1:{server.server_address[1]}"
        for name in bodies:
            run_once([COMMAND, "feed", "add", base + name, "--name", name], env)
        first = run_once([COMMAND, "fetch"], env).seconds
        written = (database.read_bytes(), database.stat().st_mtime_ns)
        again = run_once([COMMAND, "fetch"], env).seconds
        if (database.read_bytes(), database.stat().st_mtime_ns) != written:
            raise SystemExit("a fetch with nothing new rewrote the database")
        inbox = run_once([COMMAND, "inbox", "--json"], env).seconds
        leads = len(json.loads(database.read_text())["leads"])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    return FetchTimes(claims, feed_count, entries, first, again, inbox, leads)


def feed_document(feed: int, entries: int) -> bytes:
    items = "".join(
        f"<item><title>Season 2 news {feed}-{n}: a cast member hinted at scene {n}</title>"
        f"<link>https://news{feed}.example.com/story/{n}?utm_source=rss</link>"
        f"<guid>news-{feed}-{n}</guid><description>&lt;p&gt;Story {n}&lt;/p&gt;</description>"
        f"<pubDate>Mon, 23 Nov 2026 {n % 24:02d}:00:00 GMT</pubDate></item>"
        for n in range(entries)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {feed}'
        f"</title><link>https://news{feed}.example.com/</link>{items}</channel></rss>"
    ).encode()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}"
    )


def report(
    rows: list[dict[str, object]],
    sizes: list[int],
    runs: int,
    bulk: float,
    bulk_count: int,
    fetched: FetchTimes | None = None,
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}.",
        f"Command: `python benchmarks/run.py --sizes {','.join(map(str, sizes))} --runs {runs}`.",
        f"Each time is the median of {runs} whole-process runs after a warm-up; a ratio is the",
        "command's time over",
        "its floor measured in the same run (`json.load` of the same database file, or",
        "`import typer`); memory is the process's peak RSS (GNU time's %M) over the database",
        "file's size" + ("." if GNU_TIME else " (not measured: /usr/bin/time is missing)."),
        "",
        "| claims | command | seconds | floor | ratio | peak MiB | memory / file |",
        "|---:|---|---:|---|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['size']} | {row['command']} | {row['seconds']:.3f} | {row['floor']} | "
            f"{row['ratio']:.2f} | {row['peak_mib']:.1f} | {row['memory_ratio']:.1f} |"
        )
    if len(sizes) > 1:
        lines += [
            "",
            "Growth from the smallest to the largest size (time ratio):",
            "",
            "| command | "
            + " | ".join(f"{b}→{a}" for a, b in zip(sizes[1:], sizes, strict=False))
            + " |",
            "|---|" + "---:|" * (len(sizes) - 1),
        ]
        for command in dict.fromkeys(str(r["command"]) for r in rows if r["seconds"]):
            times = {r["size"]: float(r["seconds"]) for r in rows if r["command"] == command}
            steps = [times[a] / times[b] for a, b in zip(sizes[1:], sizes, strict=False)]
            lines.append(f"| {command} | " + " | ".join(f"{s:.1f}x" for s in steps) + " |")
    lines += [
        "",
        f"Import of {bulk_count} new claims from JSON Lines into an empty database: {bulk:.2f} s.",
        "",
        *fetch_lines(fetched),
        *targets(rows, sizes, bulk, bulk_count),
    ]
    return "\n".join(lines)


def fetch_lines(fetched: FetchTimes | None) -> list[str]:
    if fetched is None:
        return []
    return [
        f"Fetching {fetched.feeds} local feeds of {fetched.entries} entries into "
        f"{fetched.claims} claims: {fetched.first:.2f} s ({fetched.leads} leads); again with "
        f"nothing new: {fetched.again:.2f} s, file not rewritten; `inbox --json` with "
        f"suggestions: {fetched.inbox:.2f} s (single runs).",
        "",
    ]


# The project's targets at 10,000 claims: a command, its limit, and what the limit bounds.
RATIO_TARGETS = [
    ("list --status confirmed --json", 1.5),
    ("add", 2.5),
    ("promote", 2.5),
    ("export", 3.0),
    ("--version", 1.3),
]
# Commands that read every record and must stay linear: at most this many times `list`,
# at the largest size measured (the project's target is at 100,000 claims).
LIST_RELATIVE_TARGETS = [("doctor", 2.0), ("topic list", 2.0)]
LIST_COMMAND = "list --status confirmed --json"
# Every outlet's track record walks every history, and costs at most what the article does.
OUTLETS_TARGET = 1.0
MEMORY_TARGET = 6.0
GROWTH_TARGET = 12.0
BULK_TARGET_SECONDS = 5.0


def targets(
    rows: list[dict[str, object]], sizes: list[int], bulk: float, bulk_count: int
) -> list[str]:
    """Each target at 10,000 claims with what this run measured, when it measured it."""
    if 10000 not in sizes:
        return []
    at_10k = {str(r["command"]): r for r in rows if r["size"] == 10000}
    checks = [
        (f"`{command}` ≤ {limit}x its floor", float(at_10k[command]["ratio"]), limit, "x")
        for command, limit in RATIO_TARGETS
    ]
    outlets, export = (float(at_10k[name]["seconds"]) for name in ("outlets", "export"))
    checks.append(("`outlets` ≤ `export`", outlets / export, OUTLETS_TARGET, "x its time"))
    commands = [name for name, _ in RATIO_TARGETS] + ["show", "import 1k new claims", "outlets"]
    worst = max(commands, key=lambda name: float(at_10k[name]["memory_ratio"]))
    checks.append(
        (
            f"peak memory ≤ {MEMORY_TARGET}x the file (worst: `{worst}`)",
            float(at_10k[worst]["memory_ratio"]),
            MEMORY_TARGET,
            "x",
        )
    )
    if bulk_count == 10000:
        checks.append(
            (f"import of 10k claims ≤ {BULK_TARGET_SECONDS} s", bulk, BULK_TARGET_SECONDS, " s")
        )
    if 100000 in sizes:

        def growth(name: str) -> float:
            times = {r["size"]: float(r["seconds"]) for r in rows if r["command"] == name}
            return times[100000] / times[10000]

        steepest = max(commands, key=growth)
        checks.append(
            (
                f"10k → 100k ≤ {GROWTH_TARGET}x (steepest: `{steepest}`)",
                growth(steepest),
                GROWTH_TARGET,
                "x",
            )
        )
    largest = max(sizes)
    at_largest = {str(r["command"]): r for r in rows if r["size"] == largest}
    for command, limit in LIST_RELATIVE_TARGETS:
        measured = float(at_largest[command]["seconds"]) / float(
            at_largest[LIST_COMMAND]["seconds"]
        )
        checks.append(
            (f"`{command}` ≤ {limit}x `{LIST_COMMAND}` at {largest} claims", measured, limit, "x")
        )
    lines = ["## Targets at 10,000 claims", "", "| target | measured | holds |", "|---|---:|---|"]
    for text, measured, limit, unit in checks:
        lines.append(f"| {text} | {measured:.2f}{unit} | {'yes' if measured <= limit else 'NO'} |")
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="claims per database, comma-separated"
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="timed runs per command (after a warm-up)"
    )
    parser.add_argument(
        "--bulk", type=int, default=10000, help="claims for the import-into-an-empty-database test"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=HERE / "results.md",
        help="where to write the table (default: benchmarks/results.md)",
    )
    parser.add_argument(
        "--fetch-claims",
        type=int,
        default=10000,
        help="claims in the database that 20 feeds of 100 entries are fetched into (0: skip)",
    )
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="aousdctl-bench-") as folder:
        workdir = Path(folder)
        rows = [row for size in sizes for row in benchmark_size(size, arguments.runs, workdir)]
        bulk = import_into_empty(arguments.bulk, workdir)
        fetched = (
            fetch_into(arguments.fetch_claims, 20, 100, workdir) if arguments.fetch_claims else None
        )
    text = report(rows, sizes, arguments.runs, bulk, arguments.bulk, fetched)
    arguments.output.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
