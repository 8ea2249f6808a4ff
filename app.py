"""Entry point: navigation, language switch and the one loaded plan."""

import streamlit as st

from components.i18n import LANGUAGES, t
from components.ui.accounts import account_sidebar
from components.ui.heap import settle_heap
from components.ui.pages import navigation_pages
from components.ui.plan_upload import open_review_if_pending, upload_sidebar
from components.ui.session import LANGUAGE_KEY, current_plan_result, language, leave_legacy_pages_mode
from components.ui.widgets import note_ignored_params, show_problems

leave_legacy_pages_mode()
st.set_page_config(page_icon="📊", layout="wide")

if LANGUAGE_KEY not in st.session_state:
    requested = st.query_params.get("lang")
    st.session_state[LANGUAGE_KEY] = requested if requested in LANGUAGES else LANGUAGES[0]
    ignored_language = requested is not None and requested not in LANGUAGES  # said once, in the language used instead
else:
    ignored_language = False

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
if result.value is None:
    show_problems(t("plan.invalid", lang, file=result.problems[0].file, count=len(result.problems)), result.problems, lang)
    st.stop()

with st.sidebar:
    account_sidebar(result.value, lang)  # browsing needs no account; reporting and review do

page = st.navigation(navigation_pages(lang), expanded=True)  # thirteen pages: all listed, not ten and a "view more"
open_review_if_pending(lang)  # a plan text was just imported: its review page comes next
# Briefing mode presents one chart at a time: the sidebar starts collapsed there (still one click away).
st.set_page_config(page_title=t("app.title", lang), initial_sidebar_state="collapsed" if page.url_path == "briefing" else "auto")
if ignored_language:
    note_ignored_params(["lang"], lang)
page.run()
settle_heap()  # not reached when a page stops or reruns early; the next run settles it
