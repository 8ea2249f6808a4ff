"""Writing a measured table into docs/performance.md between its own markers, leaving the rest of the file as it is."""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, body: str, *, start: str, end: str, heading: str) -> None:
    """Replace the text between `start` and `end`, or append it under `## heading` the first time."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    block = f"{start}\n{body}{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + f"\n\n## {heading}\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
