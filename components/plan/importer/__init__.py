"""A plan's published text (plain text, HTML, Word) → a draft plan for a person to check: `import_plan`.

The parts: `reading` (bytes → numbered lines), `outline` (numbered paragraphs, preamble, tail),
`units` (responsibility statements and the lead rule), `goals` (quantitative targets), `annex`
(units given only in an annex table), `draft` (the Plan and its YAML). Messages are i18n keys
(`import.refused.*`, `import.issue.*`) with values, so the command line and the dashboard word them
in their own language.
"""

from components.plan.importer.draft import ImportResult, OutlineEntry, Uncertainty, import_plan, source_excerpt
from components.plan.importer.reading import MAX_BYTES, Refusal, SourceLine, SourceText

__all__ = [
    "MAX_BYTES",
    "ImportResult",
    "OutlineEntry",
    "Refusal",
    "SourceLine",
    "SourceText",
    "Uncertainty",
    "import_plan",
    "source_excerpt",
]
