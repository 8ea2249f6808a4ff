"""`python -m components.importer PLAN_FILE -o draft.yaml`, run as a person runs it: exit codes, what it prints, what it writes."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from components import paths
from components.plan.loader import load_plan_file

SICHUAN = paths.DATA / "sources" / "action-plan-2022.txt"
GUANGZHOU = paths.ROOT / "tests" / "plan" / "importer" / "guangzhou-talent-2012.html"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "components.importer", *args], cwd=paths.ROOT, capture_output=True, text=True, timeout=120)


def test_a_plan_text_becomes_a_draft_that_validates(tmp_path):
    out = tmp_path / "draft.yaml"
    done = run(str(SICHUAN), "-o", str(out))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "action-plan-2022.txt: 8 sections, 27 tasks, 34 agencies, 6 targets (6 quantities in the goals); "
        "Lead rule: the units before the first comma lead, the rest support (逗号前为牵头单位,下同); 3 to check. "
        f"Draft written to {out}."
    )
    assert lines[1] == "action-plan-2022.txt:35  one unit written in different ways: 有关市(州)人民政府 / 有关市（州）人民政府; kept as one"
    loaded = load_plan_file(out)
    assert loaded.ok, loaded.problems
    assert len(loaded.value.tasks) == 27
    assert done.stderr == ""


def test_uncertainties_name_their_place(tmp_path):
    text = "关于印发《甲方案》的通知\n到2025年，甲达到5%以上。\n一、任务\n1.甲。做甲。（市财政局负责）\n2.乙。做乙。\n"
    plan = tmp_path / "plan.txt"
    plan.write_text(text, encoding="gbk")
    done = run(str(plan), "-o", str(tmp_path / "d.yaml"))
    assert done.returncode == 0
    assert "plan.txt:5  task 2  responsibility line not found" in done.stdout.splitlines()
    assert "plan.txt  the text states no lead rule: every listed unit is responsible and none is marked lead" in done.stdout


def test_paragraph_numbers_for_html(tmp_path):
    done = run(str(GUANGZHOU), "-o", str(tmp_path / "d.yaml"))
    assert done.returncode == 0
    assert "guangzhou-talent-2012.html ¶4  “重点引进和培养高层次人才达到2000名左右”: no target year stated; not in the draft" in done.stdout


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (65 * 1024 * 1024))
    return out.getvalue()


BAD = {
    "empty.txt": (b"", "The file is empty."),
    "binary.txt": (bytes(range(256)) * 40, "The file is not text (it holds binary content)."),
    "memo.txt": (b"An English memo.\n1. Do this.\n", "The file contains no Chinese text"),
    "prose.txt": ("没有编号的一段话。".encode(), "No numbered paragraphs"),
    "bomb.docx": (zip_bomb(), "The Word file would unpack to too much and was not read"),
    "scan.pdf": (b"%PDF-1.4 ...", "This is a PDF."),
    "long.txt": (("一、" + "字" * 2_700_000).encode(), "none names responsible units"),
}


@pytest.mark.parametrize("name", BAD)
def test_a_file_that_is_not_a_plan_gets_a_reason_and_exit_1(tmp_path, name):
    raw, reason = BAD[name]
    path = tmp_path / name
    path.write_bytes(raw)
    out = tmp_path / "d.yaml"
    done = run(str(path), "-o", str(out))
    assert done.returncode == 1
    assert done.stdout.startswith(f"{name}: not read as a plan. ")
    assert reason in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert not out.exists(), "nothing is written for a refused file"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["/no/such/plan.txt", "-o", "{tmp}/d.yaml"], 1, "plan.txt: cannot read file: No such file or directory"),
        (["{tmp}", "-o", "{tmp}/d.yaml"], 1, "cannot read file"),
        ([str(SICHUAN), "-o", "{tmp}/no/such/dir/d.yaml"], 1, "cannot write the draft"),
        ([str(SICHUAN), "-o", str(SICHUAN)], 1, "that is the plan file itself"),
        ([str(SICHUAN)], 2, "the following arguments are required: -o/--output"),
        ([], 2, "usage: python -m components.importer"),
    ],
    ids=["missing", "a folder", "unwritable output", "output is the input", "no output", "no arguments"],
)
def test_command_line_mistakes(tmp_path, args, code, message):
    before = SICHUAN.read_bytes()
    done = run(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert done.returncode == code
    assert message in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert SICHUAN.read_bytes() == before, "the plan file is never overwritten"


def test_the_draft_replaces_an_older_one_whole(tmp_path):
    out = tmp_path / "d.yaml"
    out.write_text("old", encoding="utf-8")
    assert run(str(SICHUAN), "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# Draft plan imported from action-plan-2022.txt")
    assert [p.name for p in tmp_path.iterdir()] == ["d.yaml"], "no temporary file is left behind"


def test_usage_text_is_the_module_docstring_summary():
    assert "python -m components.importer PLAN_FILE -o draft.yaml" in Path(paths.ROOT / "components" / "importer.py").read_text(
        encoding="utf-8"
    )


def test_output_piped_into_head_ends_quietly(tmp_path):
    """`python -m components.importer plan.txt -o d.yaml | head -1`: the pipe closes early; no traceback, the draft is written."""
    tasks = "1.事项。做。（市财政局负责）\n" + "".join(f"{i}.事项{i}。做。\n" for i in range(2, 3000))  # 2,998 lines to print
    text = "关于印发《甲方案》的通知\n到2025年，甲达到5%以上。\n一、任务\n" + tasks
    plan = tmp_path / "plan.txt"
    plan.write_text(text, encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "components.importer", str(plan), "-o", str(tmp_path / "d.yaml")],
        cwd=paths.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        process.stdout.readline()
        process.stdout.close()
        stderr = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert code == 0
    assert "Traceback" not in stderr
    assert (tmp_path / "d.yaml").exists()
