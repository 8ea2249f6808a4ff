"""`python -m components.report`: the Word report from the command line, and every way its input can be wrong."""

from __future__ import annotations

import io

from docx import Document

from components.i18n import t
from components.paths import ROOT
from components.report import main
from tests.helpers import need_chromium

FIXTURE = ROOT / "tests" / "exports" / "progress_fixture.yaml"


def test_writes_the_report(tmp_path, capsys):
    need_chromium()
    out = tmp_path / "report.docx"
    out.write_bytes(b"an older report")
    assert main(["--out", str(out), "--lang", "en", "--progress", str(FIXTURE), "--as-of", "2025"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"OK {out}: 6 targets, 27 task paragraphs, 8 charts, ")
    doc = Document(io.BytesIO(out.read_bytes()))
    assert doc.paragraphs[1].text == t("docx.subtitle", "en")
    assert sum(p.style.name == "Task Paragraph" for p in doc.paragraphs) == 27
    assert any(t("docx.as_of.year", "en", year=2025) in p.text for p in doc.paragraphs)
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]  # no partial file left behind


def test_refuses_a_folder_and_other_names(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--no-progress"]) == 2
    assert f"{tmp_path} is a folder" in capsys.readouterr().err
    assert main(["--out", str(tmp_path / "report.pdf"), "--no-progress"]) == 2
    assert "does not end in .docx" in capsys.readouterr().err
    assert main(["--out", str(tmp_path / "missing" / "report.docx"), "--no-progress"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_bad_arguments_give_usage_not_a_traceback(tmp_path, capsys):
    out = str(tmp_path / "r.docx")
    assert main(["--out", out, "--as-of", "1800"]) == 2
    assert "--as-of 1800 is not a year" in capsys.readouterr().err
    assert main(["--out", out, "--as-of", "next year"]) == 2
    assert "invalid int value" in capsys.readouterr().err
    assert main(["--out", out, "--lang", "fr"]) == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err
    assert main(["--out", out, "--progress", str(FIXTURE), "--no-progress"]) == 2
    assert main([]) == 2
    assert "--out" in capsys.readouterr().err


def test_a_broken_plan_writes_nothing(tmp_path, capsys):
    plan = tmp_path / "plan.yaml"
    plan.write_text("meta: [\n", encoding="utf-8")
    out = tmp_path / "report.docx"
    out.write_bytes(b"kept")
    assert main(["--out", str(out), "--plan", str(plan), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "plan.yaml:" in err and "YAML syntax error" in err and "no report written" in err
    assert out.read_bytes() == b"kept"


def test_a_broken_or_missing_progress_log_writes_nothing(tmp_path, capsys):
    out = tmp_path / "report.docx"
    log = tmp_path / "progress.yaml"
    log.write_text(FIXTURE.read_text(encoding="utf-8").replace("tasks: [1]", "tasks: [99]", 1), encoding="utf-8")
    assert main(["--out", str(out), "--progress", str(log)]) == 1
    assert "unknown task number 99" in capsys.readouterr().err
    assert main(["--out", str(out), "--progress", str(tmp_path / "none.yaml")]) == 1
    err = capsys.readouterr().err
    assert "cannot read file" in err and "--no-progress" in err
    assert not out.exists()
