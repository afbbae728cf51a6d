# syntax=docker/dockerfile:1
# mockd, a WireMock-compatible mock HTTP server.
#   docker build -t mockd .
#   docker run --rm -p 8080:8080 -v "$PWD/stubs/mappings:/home/mockd/mappings" \
#              -v "$PWD/stubs/__files:/home/mockd/__files" -e MOCKD_OPTIONS="--verbose" mockd
# HTTPS too: add -p 8443:8443 -e MOCKD_HTTPS_PORT=8443 (a certificate is made at start, or pass one
# with MOCKD_HTTPS_CERTIFICATE / MOCKD_HTTPS_KEY). Files under mappings/ and __files/ are hot reloaded. Extra `mockd serve` flags go in MOCKD_OPTIONS
# (or MOCKD_<FLAG> variables, or after the image name); `docker run mockd validate /home/mockd` runs
# another mockd command. tests/test_docker_image.py replays these steps without Docker.

# -- stage 1: build the wheel -----------------------------------------------------------------------
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY mockd ./mockd
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# -- stage 2: the runtime image ---------------------------------------------------------------------
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MOCKD_ROOT_DIR=/home/mockd \
    MOCKD_PORT=8080 \
    MOCKD_OPTIONS=""
COPY --from=build /wheels /tmp/wheels
# the `https` extra (cryptography): `--https-port` with no certificate given makes one at start.
# DL3013 (pin versions): this installs the local wheel built above, whose pyproject bounds its dependencies.
# hadolint ignore=DL3013
RUN set -- /tmp/wheels/mockd-*.whl \
    && pip install --no-cache-dir "$1[https]" \
    && rm -rf /tmp/wheels \
    && useradd --uid 10001 --user-group --create-home --home-dir /home/mockd --shell /usr/sbin/nologin mockd \
    && mkdir -p /home/mockd/mappings /home/mockd/__files \
    && chown -R mockd:mockd /home/mockd
COPY docker/entrypoint.py /usr/local/lib/mockd/entrypoint.py
USER 10001:10001
WORKDIR /home/mockd
VOLUME ["/home/mockd/mappings", "/home/mockd/__files"]
EXPOSE 8080 8443
# Healthy when the admin API answers: 200, or 401 when --admin-api-basic-auth protects it.
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import http.client as h,os;c=h.HTTPConnection('127.0.0.1',int(os.environ.get('MOCKD_PORT','8080')),timeout=3);c.request('GET','/'+os.environ.get('MOCKD_ADMIN_PREFIX','__admin').strip('/')+'/health');raise SystemExit(c.getresponse().status not in (200,401))"]
STOPSIGNAL SIGTERM
# exec form, and the entrypoint exec()s mockd: mockd is PID 1 and stops cleanly on SIGTERM.
ENTRYPOINT ["python", "/usr/local/lib/mockd/entrypoint.py"]
