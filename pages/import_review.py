"""Importing a plan's text: the draft found in it beside its source lines, what to check, and the draft to use or download."""

from components.ui.import_review import render_review
from components.ui.session import current_plan, language

current_plan()  # every page starts here (it also leaves Streamlit's legacy page router)
render_review(language())
