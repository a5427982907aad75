"""cdp.py — a headless Chromium driven over the DevTools protocol on a pipe.

Chromium's --remote-debugging-pipe reads commands on descriptor 3 and writes
replies and events on descriptor 4, each a JSON text ended by a NUL byte. A
pipe, not a TCP port: nothing listens on the network, and no other process
can reach the browser. Only the Python standard library is used.
"""
import fcntl
import json
import os
import select
import shutil
import time


class BrowserUnavailable(Exception):
    """Chromium is missing or would not start: the test is skipped, with this reason."""


class Browser:
    # The flags the brief requires: headless, no sandbox (also run as root),
    # no GPU, and nothing that would reach the network or a profile on disk.
    FLAGS = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-crash-reporter", "--disable-breakpad", "--remote-debugging-pipe",
    ]

    def __init__(self, work_dir, timeout=60):
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if not exe:
            raise BrowserUnavailable("chromium is not installed (apt-get install chromium)")
        self.timeout = timeout
        self.events = []
        self.next_id = 0
        self.buffer = b""
        profile = os.path.join(work_dir, "chromium-profile")
        home = os.path.join(work_dir, "home")
        os.makedirs(profile)
        os.makedirs(home)
        # Chromium wants the pipe on descriptors 3 and 4: move both ends out of
        # the way first (above 9), so that placing one cannot close the other.
        r, self.to_child = os.pipe()
        self.from_child, w = os.pipe()
        child_r = fcntl.fcntl(r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(r)
        os.close(w)
        env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
        # A home and XDG directories of its own: as an unprivileged user with
        # no writable home, Chromium must still start.
        env.update(HOME=home, XDG_CONFIG_HOME=home, XDG_CACHE_HOME=home, XDG_RUNTIME_DIR=home)
        self.log_path = os.path.join(work_dir, "chromium.log")
        log = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        try:
            self.pid = os.posix_spawn(exe, [exe] + self.FLAGS + ["--user-data-dir=" + profile,
                                                                "about:blank"], env,
                                      file_actions=[
                                          (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                                          (os.POSIX_SPAWN_DUP2, log, 1),
                                          (os.POSIX_SPAWN_DUP2, log, 2),
                                          (os.POSIX_SPAWN_DUP2, child_r, 3),
                                          (os.POSIX_SPAWN_DUP2, child_w, 4)])
        except OSError as e:
            raise BrowserUnavailable("chromium would not start: %s" % e)
        finally:
            for fd in (child_r, child_w, log):
                os.close(fd)
        self.status = None
        try:
            self.version = self.call("Browser.getVersion")["product"]
        except (BrowserUnavailable, TimeoutError) as e:
            self.close()
            raise BrowserUnavailable("chromium did not answer on its DevTools pipe (%s); "
                                     "its output: %s" % (e, self.log_tail()))

    def log_tail(self):
        with open(self.log_path, "rb") as f:
            return f.read()[-800:].decode("utf-8", "replace").strip() or "none"

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no message from chromium within %d s" % self.timeout)
            ready, _, _ = select.select([self.from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise BrowserUnavailable("chromium closed its DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, session=None, **params):
        """Sends a command and returns its result; events met meanwhile are kept."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, session, timeout=None):
        """Returns the first event `method` of session, waiting for it."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for e in self.events:
                if e.get("method") == method and e.get("sessionId") == session:
                    return e
            self.events.append(self._read_message(deadline))

    def drain(self, seconds):
        """Collects events for a while (late console messages, requests)."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self._read_message(deadline))
        except TimeoutError:
            pass

    def close(self):
        """Closing the pipe ends the browser; it is killed if it lingers."""
        if self.to_child is None:
            return
        os.close(self.to_child)
        self.to_child = None
        deadline = time.monotonic() + 10
        while True:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                break
            if time.monotonic() > deadline:
                os.kill(self.pid, 9)
                self.status = os.waitpid(self.pid, 0)[1]
                break
            time.sleep(0.05)
        os.close(self.from_child)
