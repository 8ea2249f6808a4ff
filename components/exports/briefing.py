"""The briefing's export formats behind one table, so the page offers each the same way and names its files once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from components.exports.html_pack import build_html
from components.exports.pptx_deck import build_pptx
from components.figures.slides import Deck, Progress


@dataclass(frozen=True)
class ExportFormat:
    kind: str  # "html" | "pptx": also the file suffix and part of the i18n keys briefing.export.<kind>
    mime: str
    build: Callable[[Deck, Progress | None], bytes]

    def file_name(self, deck: Deck) -> str:
        return f"briefing-{deck.lang}-{deck.exported.isoformat()}.{self.kind}"


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("html", "text/html", lambda deck, progress: build_html(deck, progress=progress).encode("utf-8")),
    ExportFormat(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        lambda deck, progress: build_pptx(deck, progress=progress),
    ),
)
