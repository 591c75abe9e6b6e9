# naervaer in production: one image, as many replicas as needed, all on one PostgreSQL.
# Not built on the development machine (it has no access to container registries); the steps
# are the same as `make install` there.
FROM python:3.11-slim AS tab
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src/bot/tab
COPY bot/tab/package.json bot/tab/package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    NAERVAER_HOST=0.0.0.0 NAERVAER_PORT=3978 NAERVAER_LOG_FORMAT=json
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY rules ./rules
COPY services ./services
COPY scheduler ./scheduler
COPY storage ./storage
COPY manifest ./manifest
COPY policies ./policies
COPY payroll ./payroll
COPY --from=tab /src/bot/tab/node_modules ./bot/tab/node_modules
RUN pip install --no-cache-dir . && useradd --system --uid 10001 naervaer
USER naervaer
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:3978/readyz').status != 200)"
# SIGTERM (docker stop, Kubernetes) lets sends on the wire finish and hands back the rest.
STOPSIGNAL SIGTERM
CMD ["naervaer", "serve"]
