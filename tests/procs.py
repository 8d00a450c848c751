"""Real service processes a test starts for itself and stops by pid: Redis, a PostgreSQL
cluster, gunicorn with the shipped gunicorn.conf.py, and a small HTTP client for them.

Nothing here touches the services of REDIS_URL or DATABASE_URL: each process listens on
127.0.0.1 on a free port in a temporary directory of its own, and is stopped by the pid it was
started with.
"""

from __future__ import annotations

import glob
import hashlib
import hmac
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def _stop(proc: subprocess.Popen, timeout: float = 15.0) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


# --- Redis -----------------------------------------------------------------------------------


@dataclass
class RedisServer:
    """A redis-server of our own; `stop()` and `start()` again on the same port."""

    port: int = field(default_factory=free_port)
    workdir: str = field(default_factory=lambda: tempfile.mkdtemp(prefix="bureau-redis-"))
    proc: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.workdir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, 15, self.proc)

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


# --- PostgreSQL ------------------------------------------------------------------------------


def pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    return os.path.dirname(found[-1]) if found else None


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path))


@dataclass
class PostgresCluster:
    """A PostgreSQL cluster initialised into a temporary directory, on loopback.

    As root (CI, this machine) the server runs as the `postgres` user, as .ci/run does; as any
    other user, as that user. `stop()`/`start()` restart it on the same port and data.
    """

    port: int = field(default_factory=free_port)
    workdir: str = ""
    bindir: str = field(default_factory=lambda: pg_bin() or "")
    user: str = "bureau"
    password: str = "bureau"

    @staticmethod
    def available() -> bool:
        return pg_bin() is not None

    def _as_server_user(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        if os.geteuid() == 0:
            command = " ".join(_quote(a) for a in args)
            args = ["su", "postgres", "-s", "/bin/sh", "-c", command]
        return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)

    @property
    def data(self) -> str:
        return os.path.join(self.workdir, "data")

    def init(self) -> None:
        self.workdir = tempfile.mkdtemp(prefix="bureau-pg-")
        os.chmod(self.workdir, 0o755)  # noqa: S103 - the postgres user must enter it
        os.mkdir(self.data)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
            shutil.chown(self.workdir, "postgres")
        self._as_server_user(
            [
                f"{self.bindir}/initdb",
                "-D",
                self.data,
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            timeout=120,
        )
        self.start()
        self.psql(
            f"CREATE ROLE {self.user} LOGIN CREATEDB PASSWORD '{self.password}';",
            database="postgres",
        )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.workdir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._as_server_user(
            [
                f"{self.bindir}/pg_ctl",
                "-D",
                self.data,
                "-l",
                os.path.join(self.workdir, "pg.log"),
                "-w",
                "-t",
                "60",
                "start",
                "-o",
                options,
            ],
            timeout=90,
        )

    def stop(self, mode: str = "fast") -> None:
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self._as_server_user(
                [f"{self.bindir}/pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"], timeout=90
            )

    def close(self) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def psql(self, sql: str, database: str = "postgres", user: str = "postgres") -> str:
        return subprocess.run(
            [
                f"{self.bindir}/psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                user,
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-qAt",
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout

    def create_database(self, name: str) -> str:
        self.psql(f"CREATE DATABASE {name} OWNER {self.user};")
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgres://{self.user}:{self.password}@127.0.0.1:{self.port}/{name}"


def _new_file(prefix: str, suffix: str) -> str:
    fd, path = tempfile.mkstemp(prefix=prefix, suffix=suffix)
    os.close(fd)
    return path


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


# --- The portal's own processes --------------------------------------------------------------


def portal_env(**overrides: str) -> dict[str, str]:
    """The environment of a portal process: this one's, without the test-only switches."""
    env = {**os.environ, **overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("PYTEST_XDIST_TESTRUNUID", None)
    env.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 600) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    ).stdout


@dataclass
class Gunicorn:
    """gunicorn with the shipped gunicorn.conf.py, on a free port."""

    env: dict[str, str]
    workers: int = 2
    threads: int = 2
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    log: str = field(default_factory=lambda: _new_file("bureau-gunicorn-", ".log"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
        }
        self._logfile = open(self.log, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "bureau.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=self._logfile,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, 60, self.proc)

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc, 30)
            self._logfile.close()

    def output(self) -> str:
        return Path(self.log).read_text(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str]


def otp_key(username: str) -> str:
    """A test or bench account's authenticator key (hex, 20 bytes), derived from its name."""
    return hashlib.sha256(f"bench-otp-{username}".encode()).hexdigest()[:40]


def totp(hex_key: str, step: int = 30, digits: int = 6) -> str:
    """The RFC 6238 code an authenticator app shows now for `hex_key` (django-otp's defaults)."""
    counter = struct.pack(">Q", int(time.time()) // step)
    mac = hmac.new(bytes.fromhex(hex_key), counter, hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


class Browser:
    """A cookie-keeping HTTP client that signs in through the login form, as a user does."""

    def __init__(self, base: str, timeout: float = 30.0) -> None:
        self.base = base
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None, follow: bool = True) -> Answer:
        url = self.base + path
        for _ in range(5):
            body = None
            headers = {"Accept-Language": "zh-hans", "Referer": url}
            if data is not None:
                data = {"csrfmiddlewaretoken": self.csrf(), **data}
                body = urllib.parse.urlencode(data, doseq=True).encode()
            req = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - http only
            try:
                resp = self.opener.open(req, timeout=self.timeout)
                status, text, got = resp.status, resp.read().decode(errors="replace"), resp.headers
            except urllib.error.HTTPError as exc:
                status, text, got = exc.code, exc.read().decode(errors="replace"), exc.headers
            answer = Answer(status, text, {k.lower(): v for k, v in got.items()})
            if follow and status in (301, 302, 303) and "location" in answer.headers:
                url = urllib.parse.urljoin(url, answer.headers["location"])
                data = None
                continue
            return answer
        return answer

    def csrf(self) -> str:
        for cookie in self.cookies:
            if cookie.name.endswith("csrftoken"):
                return cookie.value
        return ""

    def login(self, username: str, password: str) -> Answer:
        """Sign in through the form; where the portal asks for a second factor, the TOTP of the
        account's authenticator (its key is `otp_key(username)`)."""
        self.request("/accounts/login/")
        answer = self.request("/accounts/login/", {"username": username, "password": password})
        if 'name="token-otp_token"' in answer.body:
            answer = self.request(
                "/accounts/login/",
                {"login_view-current_step": "token", "token-otp_token": totp(otp_key(username))},
            )
        return answer

    def form_values(self, path: str) -> dict[str, str]:
        """The named inputs' current values on the page's first form that posts (for a save)."""
        page = self.request(path).body
        values: dict[str, str] = {}
        for tag in re.findall(r"<input[^>]*>", page):
            name = re.search(r'name="([^"]+)"', tag)
            if not name or 'type="submit"' in tag:
                continue
            if 'type="checkbox"' in tag and "checked" not in tag:
                continue
            value = re.search(r'value="([^"]*)"', tag)
            values[name.group(1)] = _unescape(value.group(1)) if value else ""
        for name, body in re.findall(
            r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S
        ):
            values[name] = _unescape(body)
        for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
            chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
            values[name] = _unescape(chosen.group(1)) if chosen else ""
        values.pop("csrfmiddlewaretoken", None)
        return values


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)
