"""Every user-facing string of the interface, in Chinese (default) and English.

Names of things in the plan come from plan.yaml's zh/en fields; everything
else a user reads comes from this table, so switching language is a lookup.
"""

from __future__ import annotations

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

TEXT: dict[str, dict[str, str]] = {
    "app.title": {"zh": "协同创新行动方案看板", "en": "Collaborative Innovation Plan Dashboard"},
    "app.language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "app.language.zh": {"zh": "中文", "en": "中文"},
    "app.language.en": {"zh": "English", "en": "English"},
    "nav.home": {"zh": "方案概览", "en": "Plan overview"},
    "plan.invalid": {
        "zh": "方案文件 {file} 有 {count} 处问题,无法加载:",
        "en": "The plan file {file} has {count} problem(s) and could not be loaded:",
    },
    "home.heading": {"zh": "{title}", "en": "{title}"},
    "home.doc": {"zh": "{issuer} · {doc_number} · 印发日期 {date}", "en": "{issuer} · {doc_number} · issued {date}"},
    "home.period": {"zh": "方案期 {start}—{end} 年,目标年 {target_year} 年", "en": "Plan period {start}–{end}, target year {target_year}"},
    "home.purpose": {"zh": "目的", "en": "Purpose"},
    "home.count.targets": {"zh": "量化目标", "en": "Targets"},
    "home.count.sections": {"zh": "任务板块", "en": "Sections"},
    "home.count.tasks": {"zh": "重点任务", "en": "Tasks"},
    "home.count.agencies": {"zh": "责任单位", "en": "Agencies"},
    "home.count.sites": {"zh": "布局载体", "en": "Sites"},
    "home.targets": {"zh": "2025 年发展目标", "en": "2025 targets"},
    "home.sections": {"zh": "八个方面的重点任务", "en": "Tasks by section"},
    "home.safeguards": {"zh": "保障措施", "en": "Safeguards"},
    "home.source": {"zh": "来源:{source}", "en": "Source: {source}"},
    "home.translation_note": {"zh": "{note}", "en": "{note}"},
    "col.target": {"zh": "目标", "en": "Target"},
    "col.comparator": {"zh": "表述", "en": "Wording"},
    "col.value": {"zh": "目标值", "en": "Value"},
    "col.unit": {"zh": "单位", "en": "Unit"},
    "col.year": {"zh": "年份", "en": "Year"},
    "col.section": {"zh": "板块", "en": "Section"},
    "col.tasks": {"zh": "任务数", "en": "Tasks"},
    "comparator.about": {"zh": "左右", "en": "about"},
    "comparator.reach": {"zh": "达到", "en": "reach"},
    "comparator.exceed": {"zh": "超过", "en": "exceed"},
    "comparator.cumulative_exceed": {"zh": "累计超过", "en": "cumulative, exceed"},
    # --- targets and what-if ---
    # --- tasks and agencies ---
    # --- layout map ---
    # --- briefing and exports ---
    # --- loading another plan ---
    "upload.label": {"zh": "试用另一份方案(上传 YAML 文件)", "en": "Try another plan (upload a YAML file)"},
    "upload.help": {
        "zh": "文件先经校验;只在本次会话中使用,不会保存到服务器。",
        "en": "The file is validated first; it is used in this session only and nothing is saved on the server.",
    },
    "upload.using": {"zh": "正在使用上传的方案 {name}", "en": "Using uploaded plan {name}"},
    "upload.back": {"zh": "返回内置方案", "en": "Return to the bundled plan"},
    "upload.refused": {
        "zh": "上传的方案 {name} 有 {count} 处问题,未加载;仍在使用{in_use}。",
        "en": "The uploaded plan {name} has {count} problem(s) and was not loaded; still using {in_use}.",
    },
    "upload.in_use.bundled": {"zh": "内置方案", "en": "the bundled plan"},
    "upload.in_use.uploaded": {"zh": "上传的方案 {name}", "en": "uploaded plan {name}"},
    "upload.more": {"zh": "……另有 {count} 处问题", "en": "… and {count} more"},
    "upload.dismiss": {"zh": "关闭提示", "en": "Dismiss"},
}


def t(key: str, lang: str, **values: object) -> str:
    """Look a string up; an unknown key is a programming error and fails loudly in tests."""
    entry = TEXT[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text
