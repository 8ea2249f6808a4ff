"""Entry point: navigation, language switch and the one loaded plan."""

import streamlit as st

from components.i18n import LANGUAGES, t
from components.plan_upload import upload_sidebar
from components.state import LANGUAGE_KEY, current_plan_result, language, leave_legacy_pages_mode

leave_legacy_pages_mode()
st.set_page_config(page_icon="📊", layout="wide")

if LANGUAGE_KEY not in st.session_state:
    requested = st.query_params.get("lang")
    st.session_state[LANGUAGE_KEY] = requested if requested in LANGUAGES else LANGUAGES[0]

with st.sidebar:
    st.segmented_control(
        t("app.language", language()),
        options=list(LANGUAGES),
        format_func=lambda code: t(f"app.language.{code}", code),
        key=LANGUAGE_KEY,
        required=True,
    )
lang = language()
st.query_params["lang"] = lang

with st.sidebar:
    upload_sidebar(lang)  # a valid upload becomes this session's plan

result = current_plan_result()
if result.plan is None:
    st.error(t("plan.invalid", lang, file=result.problems[0].file, count=len(result.problems)))
    st.code("\n".join(str(p) for p in result.problems), language=None)
    st.stop()

pages = [
    st.Page("pages/home.py", title=t("nav.home", lang), icon=":material/home:", default=True, url_path="home"),
    st.Page("pages/targets.py", title=t("nav.targets", lang), icon=":material/flag:", url_path="targets"),
    st.Page("pages/indicators.py", title=t("nav.indicators", lang), icon=":material/show_chart:", url_path="indicators"),
    st.Page("pages/tasks.py", title=t("nav.tasks", lang), icon=":material/checklist:", url_path="tasks"),
    st.Page("pages/agencies.py", title=t("nav.agencies", lang), icon=":material/account_tree:", url_path="agencies"),
    st.Page("pages/layout.py", title=t("nav.layout", lang), icon=":material/map:", url_path="layout"),
    st.Page("pages/briefing.py", title=t("nav.briefing", lang), icon=":material/slideshow:", url_path="briefing"),
]
page = st.navigation(pages)
# Briefing mode presents one chart at a time: the sidebar starts collapsed there (still one click away).
st.set_page_config(page_title=t("app.title", lang), initial_sidebar_state="collapsed" if page.url_path == "briefing" else "auto")
page.run()
