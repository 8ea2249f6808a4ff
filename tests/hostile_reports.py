"""What an agency could write into a report to attack its readers, as one accepted and one pending report.

Every line tries something different: raw HTML with script, an image that loads from outside, Markdown links to
javascript: and data:, bare addresses, Markdown that would restyle the page, a spreadsheet formula, a very long
line. All of it is valid report text (the store accepts it) and must be shown as the text it is.
"""

from __future__ import annotations

from components.plan.reports import Period, ProgressStatus, ReportDraft

OUTSIDE = "outside.example"
DONE_LINES = (
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    f"![外部图片](http://{OUTSIDE}/pixel.png)",
    "[点我](javascript:window.__xss=3) [数据](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"裸网址 http://{OUTSIDE}/bare 和 www.{OUTSIDE}",
    '<a href="javascript:window.__xss=4">链接</a> <iframe src="http://outside.example/"></iframe>',
    "# 标题 **粗体** _斜体_ `代码` | 表格 | ~~删除~~ $x^2$ :red[红色] :material/warning:",
    '=HYPERLINK("http://outside.example/","点我")',
    "长" * 700 + "x" * 300,
)
DONE = "\n".join(DONE_LINES)
NEXT_STEPS = "@SUM(1+1)*cmd|' /C calc'!A0"
LINK = f"https://{OUTSIDE}/a_(b)*c*[d]"
DOCUMENT = "<b>川科〔2026〕3号</b> [x](javascript:alert(1))"
COMMENT = "<script>window.__xss = 5</script> 同意 ![x](http://outside.example/c.png)"
ACCEPTED = ReportDraft(
    task=3,
    period=Period(2026),
    stage=None,
    status=ProgressStatus.on_track,
    done=DONE,
    next_steps=NEXT_STEPS,
    evidence_link=LINK,
    evidence_document=DOCUMENT,
)
PENDING = ReportDraft(task=4, period=Period(2026), stage=None, status=ProgressStatus.behind, done="-" + DONE, next_steps="+" + NEXT_STEPS)
