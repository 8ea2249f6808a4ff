"""The layer rules of components/README.md, checked on every import statement (function-level ones too)."""

from __future__ import annotations

import ast
from pathlib import Path

from components import paths

COMPONENTS = paths.ROOT / "components"
# Each layer may import its own package and the ones before it; the modules at the top of components/
# are either cross-cutting (i18n, paths: they import nothing of ours) or command-line entry points.
ORDER = ("plan", "store", "analysis", "figures", "exports", "ui")
CROSS_CUTTING = {"i18n", "paths"}
NO_PLOTLY = {"plan", "store", "analysis"}
# The database sits after plan/, but only the interface and command-line entry points use it: numbers, figures
# and exports are computed from values (e.g. `plan.reports.AcceptedReport`), never by querying.
STORE_USERS = {"store", "ui"}


def layer_of(path: Path, components: Path) -> str:
    parts = path.relative_to(components).parts
    return parts[0] if len(parts) > 1 else path.stem


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from components import paths` names a module: check it as components.paths
            names = [f"{node.module}.{a.name}" for a in node.names] if node.module == "components" else [node.module]
            found += [(node.lineno, name) for name in names]
    return found


def violations(path: Path, components: Path = COMPONENTS) -> list[str]:
    layer = layer_of(path, components)
    rel = path.relative_to(components.parent).as_posix()
    found = []
    for line, name in imports(path):
        top = name.split(".")[0]
        if top == "streamlit" and layer != "ui":
            found.append(f"{rel}:{line}  imports {name}: only components/ui/ may import streamlit")
        if top == "plotly" and layer in NO_PLOTLY:
            found.append(f"{rel}:{line}  imports {name}: {layer}/ makes numbers and tables, not figures")
        if top != "components" or name.count(".") < 1:
            continue
        target = name.split(".")[1]
        if layer in CROSS_CUTTING and target not in CROSS_CUTTING:
            found.append(f"{rel}:{line}  imports {name}: {layer}.py is cross-cutting and imports no layer")
        elif layer in ORDER and target in ORDER and ORDER.index(target) > ORDER.index(layer):
            found.append(f"{rel}:{line}  imports {name}: {layer}/ may not depend on the later layer {target}/")
        elif target == "store" and layer in ORDER and layer not in STORE_USERS:
            found.append(f"{rel}:{line}  imports {name}: {layer}/ gets reports as values; only ui/ and entry points use the database")
        elif layer not in ORDER and layer not in CROSS_CUTTING and target == "ui":
            found.append(f"{rel}:{line}  imports {name}: a command-line entry point must run without Streamlit")
    return found


def test_every_module_keeps_its_layer_rule():
    modules = sorted(COMPONENTS.rglob("*.py"))
    assert len(modules) > 30, "the scan found no modules"
    found = [v for path in modules for v in violations(path)]
    assert not found, "layer rules broken:\n" + "\n".join(found)


def test_every_package_is_a_known_layer():
    packages = {p.name for p in COMPONENTS.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(ORDER)


def test_the_scan_catches_each_kind_of_violation(tmp_path):
    fake = tmp_path / "components"
    for folder in ("plan", "figures", "exports", "store"):
        (fake / folder).mkdir(parents=True)
    (fake / "plan" / "bad.py").write_text("import plotly.graph_objects as go\nfrom components.figures import style\n", encoding="utf-8")
    (fake / "figures" / "bad.py").write_text("def f():\n    import streamlit as st\n", encoding="utf-8")
    (fake / "exports" / "bad.py").write_text("from components.store.reports import accepted_reports\n", encoding="utf-8")
    (fake / "store" / "bad.py").write_text("import plotly\nfrom components.analysis import targets\n", encoding="utf-8")
    (fake / "accounts.py").write_text("from components.store import accounts\n", encoding="utf-8")  # an entry point: allowed
    (fake / "paths.py").write_text("from components.plan import model\n", encoding="utf-8")
    messages = [v.split("  ", 1)[1] for path in sorted(fake.rglob("*.py")) for v in violations(path, fake)]
    assert messages == [
        "imports components.store.reports: exports/ gets reports as values; only ui/ and entry points use the database",
        "imports streamlit: only components/ui/ may import streamlit",
        "imports components.plan: paths.py is cross-cutting and imports no layer",
        "imports plotly.graph_objects: plan/ makes numbers and tables, not figures",
        "imports components.figures: plan/ may not depend on the later layer figures/",
        "imports plotly: store/ makes numbers and tables, not figures",
        "imports components.analysis: store/ may not depend on the later layer analysis/",
    ]
