"""Mangled real plans (cut, shuffled, sprinkled with brackets and numbers): the importer answers every one in words.

The importer's last-resort `Refusal("internal")` must never be reached: it would mean a bug that a
person would meet as "the importer failed" instead of a draft or a reason.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from components import paths
from components.plan.importer import ImportResult, Refusal, import_plan

HERE = Path(__file__).parent
TEXTS = [(paths.DATA / "sources" / "action-plan-2022.txt").read_text(encoding="utf-8")] + [
    path.read_text(encoding="utf-8") for path in sorted([*HERE.glob("*.txt"), *HERE.glob("*.html")])
]
PIECES = list("（）()〔〕[]【】，,、；;：:。.一二三十0123456789\n\t ") + [
    "责任单位：",
    "牵头",
    "配合单位：",
    "负责",
    "等",
    "各区、县级市",
    "到2025年",
    "达到",
    "%",
    "附件",
]


def mangled(seed: int) -> str:
    rng = random.Random(seed)
    text = rng.choice(TEXTS)
    how = seed % 5
    if how == 0:
        return text[: rng.randrange(len(text))]
    if how == 1:
        lines = text.splitlines()
        rng.shuffle(lines)
        return "\n".join(lines)
    if how == 2:
        chars = list(text)
        for _ in range(rng.randrange(1, 300)):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(PIECES))
        return "".join(chars)
    if how == 3:
        chars = list(text)
        for _ in range(rng.randrange(1, 300)):
            del chars[rng.randrange(len(chars))]
        return "".join(chars)
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 4000)))


@pytest.mark.parametrize("batch", range(4))
def test_mangled_plans_get_a_draft_or_a_reason(batch):
    for seed in range(batch * 100, batch * 100 + 100):
        result = import_plan(mangled(seed).encode("utf-8"), "mangled.html" if seed % 7 == 0 else "mangled.txt")
        assert isinstance(result, ImportResult | Refusal), seed
        assert not (isinstance(result, Refusal) and result.code == "internal"), (seed, result.values)
