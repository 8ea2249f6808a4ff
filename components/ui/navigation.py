"""The dashboard's pages in one table: app.py registers them and the overview page links to them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    key: str  # i18n keys nav.<key> (title) and home.link.<key> (what the page is for)
    script: str
    icon: str
    url_path: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "pages/home.py", ":material/home:", "home"),  # the first page is the default one
    PageSpec("targets", "pages/targets.py", ":material/flag:", "targets"),
    PageSpec("indicators", "pages/indicators.py", ":material/show_chart:", "indicators"),
    PageSpec("tasks", "pages/tasks.py", ":material/checklist:", "tasks"),
    PageSpec("agencies", "pages/agencies.py", ":material/account_tree:", "agencies"),
    PageSpec("progress", "pages/progress.py", ":material/fact_check:", "progress"),
    PageSpec("assessment", "pages/assessment.py", ":material/grading:", "assessment"),
    PageSpec("layout", "pages/layout.py", ":material/map:", "layout"),
    PageSpec("briefing", "pages/briefing.py", ":material/slideshow:", "briefing"),
    PageSpec("report", "pages/report.py", ":material/edit_note:", "report"),
    PageSpec("review", "pages/review.py", ":material/fact_check:", "review"),
    PageSpec("coverage", "pages/coverage.py", ":material/rule:", "coverage"),
    PageSpec("import_review", "pages/import_review.py", ":material/upload_file:", "import"),
)
