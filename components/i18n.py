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
    "scenario.panel": {"zh": "情景方案:保存、载入、对比", "en": "Scenarios: save, load, compare"},
    "scenario.official": {"zh": "当前为方案原定目标,未作修改。", "en": "Showing the plan's own targets: no edits."},
    "scenario.unsaved": {"zh": "本次会话有 {count} 项未保存的修改。", "en": "{count} unsaved edit(s) in this session."},
    "scenario.active": {"zh": "当前情景:{name}", "en": "Active scenario: {name}"},
    "scenario.active_modified": {"zh": "当前情景:{name}(载入后已修改,未保存)", "en": "Active scenario: {name} (changed since loading, not saved)"},
    "scenario.active_unsaved": {"zh": "当前情景:{name}(来自上传或已删除,未保存)", "en": "Active scenario: {name} (uploaded or deleted, not saved)"},
    "scenario.name": {"zh": "情景名称", "en": "Scenario name"},
    "scenario.name_help": {
        "zh": "可用汉字、字母、数字、空格、- 和 _,最多 60 个字符。",
        "en": "Chinese characters, letters, digits, spaces, - and _; up to 60 characters.",
    },
    "scenario.save": {"zh": "保存当前修改", "en": "Save current edits"},
    "scenario.saved": {"zh": "已保存情景“{name}”({count} 项修改)。", "en": "Saved scenario \"{name}\" ({count} edit(s))."},
    "scenario.save_failed": {"zh": "情景“{name}”未能保存:{reason}", "en": "Scenario \"{name}\" could not be saved: {reason}"},
    "scenario.name_refused": {"zh": "名称“{name}”不能使用:{reason}。未保存任何内容。", "en": "The name \"{name}\" cannot be used: {reason}. Nothing was saved."},
    "scenario.name.empty": {"zh": "名称为空", "en": "the name is empty"},
    "scenario.name.too_long": {"zh": "超过 60 个字符", "en": "it is longer than 60 characters"},
    "scenario.name.separator": {"zh": "含有路径分隔符(/ 或 \\)", "en": "it contains a path separator (/ or \\)"},
    "scenario.name.dot": {"zh": "含有“.”(不能是 . 或 ..,不能以点开头,也不能带扩展名)", "en": "it contains a dot (no . or .., no leading dot, no extension)"},
    "scenario.name.control": {"zh": "含有控制字符(如换行或 NUL)", "en": "it contains a control character (such as a line break or NUL)"},
    "scenario.name.edge_space": {"zh": "首尾不能是空格", "en": "it starts or ends with a space"},
    "scenario.name.reserved": {"zh": "是 Windows 保留名(CON、PRN、AUX、NUL、COM1–9、LPT1–9)", "en": "it is reserved by Windows (CON, PRN, AUX, NUL, COM1–9, LPT1–9)"},
    "scenario.name.chars": {"zh": "只能使用汉字、字母、数字、空格、- 和 _", "en": "use only Chinese characters, letters, digits, spaces, - and _"},
    "scenario.overwrite_ask": {"zh": "已有名为“{name}”的情景。要用当前修改覆盖它吗?", "en": "A scenario named \"{name}\" already exists. Overwrite it with the current edits?"},
    "scenario.overwrite": {"zh": "覆盖", "en": "Overwrite"},
    "scenario.cancel": {"zh": "取消", "en": "Cancel"},
    "scenario.cancelled": {"zh": "已取消,未作改动。", "en": "Cancelled; nothing changed."},
    "scenario.saved_list": {"zh": "已保存的情景", "en": "Saved scenarios"},
    "scenario.none_saved": {"zh": "还没有已保存的情景。", "en": "No saved scenarios yet."},
    "scenario.load": {"zh": "载入", "en": "Load"},
    "scenario.loaded": {"zh": "已载入情景“{name}”({count} 项修改),替换了本次会话的修改。", "en": "Loaded scenario \"{name}\" ({count} edit(s)); it replaced this session's edits."},
    "scenario.load_failed": {"zh": "情景“{name}”有 {count} 处问题,未载入;当前修改保持不变:", "en": "Scenario \"{name}\" has {count} problem(s) and was not loaded; your edits are unchanged:"},
    "scenario.delete": {"zh": "删除", "en": "Delete"},
    "scenario.delete_ask": {"zh": "确定删除情景“{name}”?删除后无法恢复。", "en": "Delete scenario \"{name}\"? This cannot be undone."},
    "scenario.delete_confirm": {"zh": "确认删除", "en": "Yes, delete"},
    "scenario.deleted": {"zh": "已删除情景“{name}”。", "en": "Deleted scenario \"{name}\"."},
    "scenario.delete_failed": {"zh": "情景“{name}”未能删除:{reason}", "en": "Scenario \"{name}\" could not be deleted: {reason}"},
    "scenario.compare": {"zh": "对比两个已保存的情景", "en": "Compare two saved scenarios"},
    "scenario.compare_hint": {"zh": "请选择两个情景。", "en": "Choose two scenarios."},
    "scenario.download": {"zh": "下载当前修改(YAML)", "en": "Download current edits (YAML)"},
    "scenario.upload": {"zh": "上传情景文件(YAML)", "en": "Upload a scenario file (YAML)"},
    "scenario.uploaded": {"zh": "已从文件“{file}”载入情景“{name}”({count} 项修改),尚未保存。", "en": "Loaded scenario \"{name}\" ({count} edit(s)) from \"{file}\"; not saved yet."},
    "scenario.upload_failed": {"zh": "文件“{file}”有 {count} 处问题,未载入;当前修改保持不变:", "en": "The file \"{file}\" has {count} problem(s) and was not loaded; your edits are unchanged:"},
    "scenario.reset": {"zh": "恢复方案原定目标", "en": "Reset to the official plan"},
    "scenario.reset_done": {"zh": "已清除全部修改,恢复为方案原定目标。", "en": "All edits cleared: showing the plan's own targets."},
    "scenario.default_name": {"zh": "情景", "en": "scenario"},
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
