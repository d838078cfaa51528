# The CFPI case tracker: one image for the web, the projection worker and
# `tracker init` (docker-compose.yml runs all three). Configuration comes
# from the environment only (tracker/config.py); nothing secret is built in.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TRACKER_HOME=/var/lib/tracker

# psycopg (eventsourcing[postgres]) talks to PostgreSQL through libpq.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*

# The account the processes run as, and the folders of the named volumes:
# a new volume takes its owner from the folder it is mounted on.
RUN useradd --system --user-group --uid 10001 --create-home \
        --home-dir /home/tracker tracker \
    && install -d -o tracker -g tracker -m 700 /var/lib/tracker /var/lib/tracker-keys

WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY tracker ./tracker
COPY projections ./projections
COPY web ./web
# The catalogs are compiled first: the package carries the .mo files, with
# the templates and static files, as its package data.
RUN pip install 'babel>=2.14' \
    && pybabel -q compile -d web/translations -D messages \
    && pip install '.[postgres]'

USER tracker
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["tracker", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
