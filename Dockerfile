# The dashboard as one container: `streamlit run app.py` on 0.0.0.0:8501, offline, as a non-root user.
# Build:  docker build -t plan-dashboard .
# Run:    docker run -p 8501:8501 plan-dashboard
#         docker run -p 8501:8501 -v /srv/plan:/srv/plan:ro plan-dashboard -- --plan /srv/plan/plan.yaml
# Several replicas behind a proxy, the shared plan and the database: docs/deploy.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    DASHBOARD_DATABASE_URL=sqlite:////srv/data/dashboard.sqlite3 \
    DASHBOARD_SCENARIO_DIR=/srv/scenarios

# fonts-noto-cjk: Chinese glyphs in exported chart images and slides (without it they are empty boxes).
# chromium: kaleido draws chart images for the PowerPoint export with the system browser.
# postgresql-client: pg_dump, pg_restore and psql for `python -m components.backup` against PostgreSQL.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-noto-cjk postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The code and bundled data belong to root and are read-only for the app; it writes only its SQLite database
# in /srv/data (a volume; set DASHBOARD_DATABASE_URL to PostgreSQL for several replicas). /srv/scenarios is
# the old scenario folder, imported into the database once.
COPY . .
RUN useradd --create-home --uid 10001 --user-group dashboard \
    && mkdir -p /srv/scenarios /srv/data \
    && chown dashboard:dashboard /srv/scenarios /srv/data
USER dashboard

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status != 200)"]

ENTRYPOINT ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", "--browser.gatherUsageStats=false"]
# arguments after `--` go to app.py; the default is the bundled plan
CMD ["--", "--plan", "data/plan.yaml"]
