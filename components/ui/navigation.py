"""The dashboard's pages in one table: app.py registers them and the overview page links to them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    key: str  # i18n keys nav.<key> (title) and home.link.<key> (what the page is for)
    script: str
    icon: str
    url_path: str
    group: str  # i18n key nav.group.<group>: the heading the page sits under in the sidebar


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "pages/home.py", ":material/home:", "home", "plan"),  # the first page is the default one
    PageSpec("targets", "pages/targets.py", ":material/flag:", "targets", "plan"),
    PageSpec("indicators", "pages/indicators.py", ":material/show_chart:", "indicators", "plan"),
    PageSpec("tasks", "pages/tasks.py", ":material/checklist:", "tasks", "plan"),
    PageSpec("agencies", "pages/agencies.py", ":material/account_tree:", "agencies", "plan"),
    PageSpec("layout", "pages/layout.py", ":material/map:", "layout", "plan"),
    PageSpec("progress", "pages/progress.py", ":material/fact_check:", "progress", "done"),
    PageSpec("assessment", "pages/assessment.py", ":material/grading:", "assessment", "done"),
    PageSpec("report", "pages/report.py", ":material/edit_note:", "report", "done"),
    PageSpec("review", "pages/review.py", ":material/rate_review:", "review", "done"),
    PageSpec("coverage", "pages/coverage.py", ":material/rule:", "coverage", "done"),
    PageSpec("briefing", "pages/briefing.py", ":material/slideshow:", "briefing", "tools"),
    PageSpec("import_review", "pages/import_review.py", ":material/upload_file:", "import", "tools"),
)


def pages_by_group() -> dict[str, list[PageSpec]]:
    """The sidebar's sections in order: the plan as written, as carried out, and the tools."""
    grouped: dict[str, list[PageSpec]] = {}
    for spec in PAGES:
        grouped.setdefault(spec.group, []).append(spec)
    return grouped
