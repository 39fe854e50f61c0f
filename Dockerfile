# One image for web, worker and beat (docker-compose.yml chooses the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# gettext compiles the catalogues; pango and a CJK font let weasyprint render Chinese text.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN DEBUG=1 python manage.py compilemessages --ignore=var -v 0 \
 && DEBUG=1 STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput -v 0 \
 && useradd --system --uid 1000 portal && mkdir -p /data && chown portal /data
USER portal
ENV VAR_DIR=/data STATIC_ROOT=/app/staticfiles
EXPOSE 8000
CMD ["gunicorn", "residence.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
