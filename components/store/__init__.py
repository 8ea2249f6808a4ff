"""The database: what people wrote (accounts, progress reports, saved scenarios, the audit log), and every write
checked against the signed-in user's role. No streamlit, no plotly; only `ui/` and command-line entry points use it."""
