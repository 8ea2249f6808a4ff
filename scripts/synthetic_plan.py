"""Made-up plans built from the bundled one: a much larger plan for benchmarks and a hostile one for escaping tests.

    python -m scripts.synthetic_plan OUT.yaml [--factor 100]
    python -m scripts.synthetic_plan OUT.yaml --hostile
    python -m scripts.synthetic_plan OUT.txt --text 300   # a plan *text* of 300 tasks, for the importer

Both are written wherever asked (a temporary folder in the tests and the
benchmark), never into data/, and both must pass the validator.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from components.paths import PROGRESS_LOG, ROOT
from components.plan.loader import load_plan_file
from components.plan.model import LIMITS, MAX_NAME, Plan

BUNDLED = ROOT / "data" / "plan.yaml"
SOURCE_TEXT = ROOT / "data" / "sources" / "action-plan-2022.txt"
CN_NUMERALS = "一二三四五六七八九"

# Plan text is data: each piece must reach the reader as these exact characters, never as markup.
HOSTILE = "X1<script>alert(1)</script> X2<img src=x onerror=alert(1)> X3[link](javascript:alert(1))"
HOSTILE_PARTS = ("X1<script>alert(1)</script>", "X2<img src=x onerror=alert(1)>", "X3[link](javascript:alert(1))")


def bundled_data() -> dict:
    return yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))


def dump(data: dict) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000).encode("utf-8")


def _hostile_text(text: dict) -> dict:
    return {lang: f"{HOSTILE} {value}" for lang, value in text.items()}


def hostile_plan(data: dict | None = None) -> dict:
    """The bundled plan with markup in names that every page shows: plan title, sections, tasks, agencies, sites, safeguards, indicators."""
    data = copy.deepcopy(data or bundled_data())
    data["meta"]["title"] = _hostile_text(data["meta"]["title"])
    for collection, field in [
        ("tasks", "title"),
        ("agencies", "name"),
        ("sites", "name"),
        ("sections", "title"),
        ("safeguards", "title"),
        ("indicators", "name"),
        ("targets", "name"),
    ]:
        items = data.get(collection) or []
        for item in items[:2]:
            item[field] = _hostile_text(item[field])
    return data


def _copy_id(value: str, k: int) -> str:
    return value if k == 0 else f"{value}_{k}"


def _copy_name(name: dict, k: int) -> dict:
    """Copy k of a name, numbered in every language: a real plan's agencies have distinct names, and Plotly stacks equal labels onto one row."""
    return name if k == 0 else {lang: f"{value} ({k + 1})" for lang, value in name.items()}


def scaled_plan(factor: int = 100, data: dict | None = None) -> dict:
    """`factor`× the tasks, about √factor× the sections, agencies, themes and sites, and a century-long series per indicator and region."""
    data = copy.deepcopy(data or bundled_data())
    fan = max(1, round(factor**0.5))  # copies of agencies, themes, sites, sections
    task_copies = max(1, factor)

    sections = data["sections"]
    data["sections"] = [
        {**s, "id": _copy_id(s["id"], k), "number": k * len(sections) + s["number"], "numeral": f"{s['numeral']}{k or ''}"}
        for k in range(min(fan, 99 // max(1, len(sections))))
        for s in sections
    ]
    section_copies = len(data["sections"]) // len(sections)
    data["agencies"] = [{**a, "id": _copy_id(a["id"], k), "name": _copy_name(a["name"], k)} for k in range(fan) for a in data["agencies"]]
    data["themes"] = [{**t, "id": _copy_id(t["id"], k)} for k in range(fan) for t in data.get("themes", [])]

    sites = data.get("sites") or []
    new_sites = []
    for k in range(fan):
        for s in sites:
            site = {**s, "id": _copy_id(s["id"], k)}
            if s.get("parent"):
                site["parent"] = _copy_id(s["parent"], k)
            if s.get("lon") is not None:
                site["lon"] = min(110.9, max(97.1, s["lon"] + 0.02 * k))
                site["lat"] = min(34.9, max(25.1, s["lat"] + 0.01 * k))
            new_sites.append(site)
    if sites:
        data["sites"] = new_sites
    connections = data.get("connections") or []
    if connections:
        data["connections"] = [
            {**c, "id": _copy_id(c["id"], k), "sites": [_copy_id(s, k) for s in c["sites"]]} for k in range(fan) for c in connections
        ]

    tasks = data["tasks"]
    new_tasks = []
    for k in range(task_copies):
        a, s = k % fan, k % section_copies
        for task in tasks:
            new_tasks.append(
                {
                    **task,
                    "id": _copy_id(task["id"], k),
                    "number": k * len(tasks) + task["number"],
                    "section": _copy_id(task["section"], s),
                    "themes": [_copy_id(x, a) for x in task.get("themes", [])],
                    "sites": [_copy_id(x, a) for x in task.get("sites", [])],
                    "lead": [_copy_id(x, a) for x in task["lead"]],
                    "support": [_copy_id(x, a) for x in task.get("support", [])],
                }
            )
    data["tasks"] = new_tasks
    data["observations"] = _long_series(data)
    return data


def _long_series(data: dict, first: int = 1950, last: int = 2049) -> list[dict]:
    """Every (indicator, region) series that is charted, stretched to one value a year from `first` to `last`."""
    kinds = {i["id"]: i["kind"] for i in data["indicators"]}
    series: dict[tuple, list[dict]] = defaultdict(list)
    kept = []
    for obs in data.get("observations", []):
        if obs.get("charted", True):
            series[(obs["indicator"], obs["region"])].append(obs)
        else:
            kept.append(obs)
    out = []
    for (indicator, _region), points in series.items():
        points.sort(key=lambda o: o["year"])
        low, high = points[0], points[-1]
        span = max(1, high["year"] - low["year"])
        slope = (high["value"] - low["value"]) / span
        for year in range(first, last + 1):
            value = max(0.0, low["value"] + slope * (year - low["year"]))
            if kinds.get(indicator) == "share":
                value = min(100.0, value)
            template = min(points, key=lambda o: abs(o["year"] - year))
            obs = {k: v for k, v in template.items() if k not in {"flags", "derivation", "note", "charted", "decision", "as_of"}}
            obs.update(year=year, value=round(value, 3), flags=["derived"], derivation="synthetic: linear trend for benchmarks")
            out.append(obs)
    # a snapshot kept off the chart must not collide with the synthetic years; drop the ones outside the series
    return out + [o for o in kept if (o["indicator"], o["region"]) not in series]


def cn_numeral(number: int) -> str:
    """1 → 一, 12 → 十二, 96 → 九十六 (the section numbers of a plan text)."""
    tens, ones = divmod(number, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else CN_NUMERALS[tens - 1] + "十")) + ("" if ones == 0 else CN_NUMERALS[ones - 1])


def plan_text(tasks: int = 300) -> str:
    """The Sichuan plan's text with its task part repeated until it holds `tasks` tasks, renumbered as a real plan would be.

    Its notice, goals and safeguards stay as published; each repetition of the eight sections gets new
    section numerals and task numbers, so the importer meets a long plan in the Sichuan conventions.
    """
    text = SOURCE_TEXT.read_text(encoding="utf-8")
    head, rest = text.split("二、重点任务", 1)
    body, tail = rest.split("三、保障措施", 1)
    blocks = [b.strip("\n") for b in re.split(r"\n(?=[(（][一二三四五六七八九十]+[)）])", body) if b.strip()]
    out, section, task = [], 0, 0
    while task < tasks:
        for block in blocks:
            section += 1
            lines = block.splitlines()
            heading = re.sub(r"^[(（][一二三四五六七八九十]+[)）]", f"({cn_numeral(section)})", lines[0])
            renumbered = []
            for line in lines[1:]:
                if re.match(r"^\d+\.", line) and task < tasks:
                    task += 1
                    line = re.sub(r"^\d+\.", f"{task}.", line)
                elif re.match(r"^\d+\.", line):
                    break
                renumbered.append(line)
            out.append("\n".join([heading, *renumbered]))
            if task >= tasks:
                break
    return head + "二、重点任务\n\n" + "\n\n".join(out) + "\n\n三、保障措施" + tail


def chained_sites_plan(sites: int = LIMITS["sites"], name_chars: int = 8, data: dict | None = None) -> dict:
    """The bundled plan whose sites are one parent chain of `sites`, each named with `name_chars` characters in both languages.

    With the defaults, the longest chain the limits allow; with `name_chars=MAX_NAME` and as many sites as fit in the
    loader's 8 MB, the longest names at the largest count a file can hold. Tasks name no site and there are no corridors.
    """
    data = copy.deepcopy(data or bundled_data())
    zh, en = ("园区" * MAX_NAME)[:name_chars], ("Park " * MAX_NAME)[:name_chars]
    data["sites"] = [
        {
            "id": f"s{i}",
            "name": {"zh": f"{i}{zh}"[:name_chars], "en": f"{i}{en}"[:name_chars]},
            "kind": "zone",
            "province": "sichuan",
            **({"parent": f"s{i - 1}"} if i else {}),
            "precision": "none",
            "source": "plan_text",
        }
        for i in range(sites)
    ]
    data["connections"] = []
    for task in data["tasks"]:
        task["sites"] = []
    return data


def write_plan(data: dict, path: Path) -> Path:
    """Write and validate; a synthetic plan the validator refuses is a bug in this script."""
    path.write_bytes(dump(data))
    result = load_plan_file(path)
    if not result.ok:
        raise ValueError("synthetic plan does not validate:\n" + "\n".join(map(str, result.problems[:20])))
    return path


# --- a large progress log and a database of reports, for the benchmark ---

PROGRESS_ENTRIES = 10_000
SEEDED_REPORTS = 10_000
SEED_PASSWORD = "synthetic reviewer password"
SEED_REVIEWER = "bench-reviewer"


def scaled_progress(plan_data: dict, entries: int = PROGRESS_ENTRIES) -> dict:
    """The bundled log's entries repeated over `plan_data`'s task copies until there are `entries` of them.

    Each copy keeps its stage, side, dates and source but evidences the same tasks in the next copy of the
    plan (task n of copy k is `k × 27 + n` in `scaled_plan`); notes and counts are left out and the texts
    cut short, so 10,000 entries stay under the loader's 8 MB.
    """
    log = yaml.safe_load(PROGRESS_LOG.read_text(encoding="utf-8"))
    bundled_tasks = len(bundled_data()["tasks"])
    copies = max(1, len(plan_data["tasks"]) // bundled_tasks)
    sites = {s["id"] for s in plan_data.get("sites") or []}
    source = log["entries"]
    out = []
    for i in range(entries):
        entry = source[i % len(source)]
        k = (i // len(source)) % copies
        item = {key: value for key, value in entry.items() if key not in {"note", "counts"}}
        item["id"] = f"{entry['id']}-{i}"
        item["tasks"] = [k * bundled_tasks + n for n in entry.get("tasks", [])]
        item["sites"] = [s for s in entry.get("sites", []) if s in sites]
        item["summary"] = {lang: text[:40] for lang, text in entry["summary"].items()}
        item["quote"] = entry["quote"][:40]
        item["source"] = {**entry["source"], "title": entry["source"]["title"][:40]}
        out.append(item)
    return {**{key: value for key, value in log.items() if key != "entries"}, "entries": out}


def write_progress(data: dict, plan_path: Path, path: Path) -> Path:
    """Write and validate against the plan with the real reader; a log it refuses is a bug in this script."""
    from components.plan.progress import load_progress_file

    path.write_bytes(dump(data))
    result = load_progress_file(load_plan_file(plan_path).value, path)
    if not result.ok:
        raise ValueError("synthetic progress log does not validate:\n" + "\n".join(map(str, result.problems[:20])))
    return path


def seed_reports(url: str, plan: Plan, count: int = SEEDED_REPORTS) -> dict[str, int]:
    """A database at `url` holding `count` reports on `plan`, filed, reviewed and revised through the store's own functions.

    One reporter per agency files its tasks as 台账 sheets, period by period from the current one back; a reviewer
    (`SEED_REVIEWER`, `SEED_PASSWORD`) then accepts half, returns a fifth, and returns a tenth that the agency revises
    (version 2, waiting again); the rest wait for review. Passwords are hashed cheaply here: only the reviewer
    signs in later, and a sign-in rehashes with the real parameters. Returns the number of reports in each state.
    """
    from unittest import mock

    from argon2 import PasswordHasher

    from components.plan.reports import ProgressStatus, ReportDraft, agency_tasks, local_date, reporting_periods
    from components.store import accounts, reports
    from components.store.accounts import Role, utc_now
    from components.store.db import make_engine
    from components.store.migrate import migrate

    engine = make_engine(url)
    migrate(engine)
    statuses = list(ProgressStatus)
    filed: list[tuple[int, str]] = []  # (report id, its agency's token)
    with mock.patch.object(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)):
        accounts.add_user(engine, SEED_REVIEWER, SEED_PASSWORD, Role.reviewer, None, by="benchmark")
        reviewer = accounts.sign_in(engine, SEED_REVIEWER, SEED_PASSWORD, "benchmark")
        tokens: dict[str, str] = {}
        for period in reporting_periods(plan, local_date(utc_now())):
            for agency in plan.agencies:
                left = count - len(filed)
                tasks = agency_tasks(plan, agency.id)[:left]
                if not tasks:
                    continue
                if agency.id not in tokens:
                    name = f"bench-{agency.id}".replace("_", "-")[:60]
                    accounts.add_user(engine, name, SEED_PASSWORD, Role.reporter, agency.id, by="benchmark")
                    tokens[agency.id] = accounts.sign_in(engine, name, SEED_PASSWORD, "benchmark")
                drafts = [
                    ReportDraft(
                        task=task.number, period=period, stage=None, status=statuses[task.number % 4], done=f"任务 {task.number} 的进展"
                    )
                    for task in tasks
                ]
                ids = reports.file_sheet(engine, tokens[agency.id], plan, period, drafts, client="benchmark")
                filed += [(report_id, tokens[agency.id]) for report_id in ids]
            if len(filed) >= count:
                break
    states = {"accepted": 0, "returned": 0, "revised": 0, "submitted": 0}
    for i, (report_id, token) in enumerate(filed):
        kind = ("accepted",) * 5 + ("returned",) * 2 + ("revised",) + ("submitted",) * 2
        state = kind[i % 10]
        states[state] += 1
        if state == "accepted":
            reports.accept_report(engine, reviewer, plan, report_id, 1, client="benchmark")
        elif state in ("returned", "revised"):
            reports.return_report(engine, reviewer, plan, report_id, 1, "请补充证据", client="benchmark")
        if state == "revised":
            task = reports.report_history(engine, token, plan.meta.doc_number, report_id).report
            draft = ReportDraft(task=task.task, period=task.period, stage=None, status=ProgressStatus.on_track, done="补充了证据")
            reports.revise_report(engine, token, plan, report_id, draft, client="benchmark")
    engine.dispose()
    return states


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--hostile", action="store_true", help="markup in plan names instead of a larger plan")
    parser.add_argument("--text", type=int, metavar="TASKS", help="write a plan text of this many tasks instead")
    args = parser.parse_args(argv)
    if args.text:
        args.out.write_text(plan_text(args.text), encoding="utf-8")
        print(f"{args.out}: {args.out.stat().st_size:,} bytes, a plan text of {args.text} tasks")
        return 0
    data = hostile_plan() if args.hostile else scaled_plan(args.factor)
    write_plan(data, args.out)
    plan = load_plan_file(args.out).value
    print(
        f"{args.out}: {args.out.stat().st_size:,} bytes, {len(plan.tasks)} tasks, {len(plan.agencies)} agencies, "
        f"{len(plan.sections)} sections, {len(plan.sites)} sites, {len(plan.observations)} observations"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
