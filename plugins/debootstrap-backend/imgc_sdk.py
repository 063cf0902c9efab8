"""A small SDK for imgc backend plugins written in Python (standard library only).

The protocol is JSON-RPC 2.0 with one JSON message per line: requests arrive on stdin,
answers and notifications leave on stdout, and stderr is the plugin's log. `serve()` runs
a backend as a plugin process; `Loopback` drives the same backend in process, through the
same message handling, for unit tests.
"""

import json
import sys
import threading
import traceback

API_VERSION = 1


class PluginError(Exception):
    """A failure the host shows as a diagnostic (code, message, hint)."""

    def __init__(self, message, code="PLUGIN", hint=None, pointer=None):
        super().__init__(message)
        self.diagnostic = {"code": code, "severity": "error", "message": message}
        if hint:
            self.diagnostic["hint"] = hint
        if pointer:
            self.diagnostic["pointer"] = pointer


def diagnostic(code, message, severity="warning", hint=None, pointer=None):
    d = {"code": code, "severity": severity, "message": message}
    if hint:
        d["hint"] = hint
    if pointer:
        d["pointer"] = pointer
    return d


class Context:
    """What a step gets besides its options: paths, progress, reports and cancellation."""

    def __init__(self, channel, tree, work_dir, package_cache):
        self.tree = tree
        self.work_dir = work_dir
        self.package_cache = package_cache
        self._channel = channel
        self.cancelled = threading.Event()

    def log(self, line):
        self._channel.notify("progress", {"log": line})

    def note(self, text):
        self._channel.notify("progress", {"note": text})

    def packages(self, done, total=None):
        p = {"done": done}
        if total is not None:
            p["total"] = total
        self._channel.notify("progress", {"packages": p})

    def report(self, diag):
        self._channel.notify("diagnostic", {"diagnostic": diag})


class Backend:
    """Subclass and override; method names follow the protocol (docs/plugins.md)."""

    id = "example"
    name = "example backend"
    distributions = []
    executes = []
    repository_types = None
    host_tools = None

    def releases(self, distribution):
        return []

    def resolve_distribution(self, ir, options, host):
        raise PluginError("resolve_distribution is not implemented")

    def default_repositories(self, distribution, options, host):
        return {"repositories": [], "diagnostics": []}

    def kernel_packages(self, distribution, ir):
        return []

    def initrd_packages(self, initrd):
        return []

    def bootloader_packages(self, ir):
        return []

    def system_packages(self, ir):
        return []

    def unapplied_fields(self, ir):
        return []

    def plan(self, plan_input):
        raise PluginError("plan is not implemented")

    def plan_remove(self, packages, origin):
        raise PluginError("plan_remove is not implemented")

    def execute(self, step, context):
        raise PluginError("execute is not implemented for " + step["type"])


class Channel:
    """Dispatches protocol messages to a backend; `write` sends one message."""

    def __init__(self, backend, write, api_version=API_VERSION):
        self.backend = backend
        self.write = write
        self.api_version = api_version
        self.running = None
        self.stopped = threading.Event()
        self._lock = threading.Lock()

    def send(self, message):
        with self._lock:
            self.write(json.dumps(message) + "\n")

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def receive(self, line):
        msg = json.loads(line)
        method = msg.get("method")
        params = msg.get("params") or {}
        if "id" not in msg:
            if method == "cancel" and self.running is not None:
                self.running.cancelled.set()
            return
        # execute runs in a thread so that cancel notifications are still read meanwhile
        if method == "execute":
            threading.Thread(target=self._answer, args=(msg["id"], method, params), daemon=True).start()
        else:
            self._answer(msg["id"], method, params)

    def _answer(self, rid, method, params):
        try:
            result = self._call(method, params)
            self.send({"jsonrpc": "2.0", "id": rid, "result": result})
        except PluginError as e:
            self.send({"jsonrpc": "2.0", "id": rid,
                       "error": {"code": 1, "message": str(e), "data": {"diagnostic": e.diagnostic}}})
        except KeyError as e:
            self.send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "unknown method " + str(e)}})
        except Exception as e:  # a bug in the backend: tell the host, keep serving
            traceback.print_exc(file=sys.stderr)
            self.send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32603, "message": repr(e)}})

    def _call(self, method, p):
        b = self.backend
        if method == "initialize":
            return {"apiVersion": self.api_version, "name": b.name}
        if method == "describe":
            d = {"id": b.id, "name": b.name, "distributions": list(b.distributions),
                 "releases": {x: list(b.releases(x)) for x in b.distributions}, "executes": list(b.executes)}
            if b.repository_types:
                d["repositoryTypes"] = list(b.repository_types)
            if b.host_tools:
                d["hostTools"] = dict(b.host_tools)
            return d
        if method == "shutdown":
            self.stopped.set()
            return None
        if method == "execute":
            c = p["context"]
            ctx = Context(self, c["tree"], c["workDir"], c["packageCache"])
            self.running = ctx
            try:
                b.execute(p["step"], ctx)
            finally:
                self.running = None
            return None
        handlers = {
            "resolveDistribution": lambda: b.resolve_distribution(p["ir"], p.get("options", {}), p.get("host", {})),
            "defaultRepositories": lambda: b.default_repositories(p["distribution"], p.get("options", {}), p.get("host", {})),
            "kernelPackages": lambda: b.kernel_packages(p["distribution"], p["ir"]),
            "initrdPackages": lambda: b.initrd_packages(p.get("initrd")),
            "bootloaderPackages": lambda: b.bootloader_packages(p["ir"]),
            "systemPackages": lambda: b.system_packages(p["ir"]),
            "unappliedFields": lambda: b.unapplied_fields(p["ir"]),
            "plan": lambda: b.plan(p["input"]),
            "planRemove": lambda: b.plan_remove(p["packages"], p["origin"]),
        }
        return handlers[method]()


def serve(backend, api_version=API_VERSION):
    """The plugin's main loop: answer requests from stdin until shutdown or end of input."""
    out = sys.stdout
    channel = Channel(backend, lambda text: (out.write(text), out.flush()), api_version)
    sys.stdout = sys.stderr  # a stray print() must not corrupt the protocol stream
    for line in sys.stdin:
        if line.strip():
            channel.receive(line)
        if channel.stopped.is_set():
            break
    while threading.active_count() > 1 and not channel.stopped.is_set():
        threading.Event().wait(0.05)


class Loopback:
    """Calls a backend through the protocol's message handling without a process (for tests)."""

    def __init__(self, backend):
        self.sent = []
        self.channel = Channel(backend, lambda text: self.sent.append(json.loads(text)))
        self.next_id = 1

    def request(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        self.channel._answer(rid, method, params or {})
        answer = [m for m in self.sent if m.get("id") == rid][-1]
        if "error" in answer:
            raise PluginError(answer["error"]["message"])
        return answer["result"]

    def notifications(self, method):
        return [m["params"] for m in self.sent if m.get("method") == method and "id" not in m]
