"""Shared by the bench/scale scripts: Release builds, free ports, the gateway and the chaos service as processes (each
stopped on exit), a config derived from the root appsettings.json, and /proc readings (RSS, fds, threads)."""
import atexit, json, os, re, signal, socket, subprocess, sys, tempfile, time, urllib.request

ROOT = os.environ.get("GATEWAY_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = tempfile.mkdtemp(prefix="gateway-scale-")
_procs = []


def _stop_all():
    for proc in _procs:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


atexit.register(_stop_all)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))


def build(*projects):
    for project in projects:
        subprocess.run(["dotnet", "build", "-c", "Release", "--nologo", "-v", "quiet", f"{ROOT}/src/{project}"],
                       check=True, stdout=subprocess.DEVNULL)


def dll(project):
    # GATEWAY_HOST_DIR: a published gateway instead of the Release build (e.g. the image's ReadyToRun publish).
    if project == "Gateway.Host" and os.environ.get("GATEWAY_HOST_DIR"):
        return os.path.join(os.environ["GATEWAY_HOST_DIR"], "Gateway.Host.dll")
    return f"{ROOT}/src/{project}/bin/Release/net10.0/{project}.dll"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args, log_name, cwd=None, env=None, base_env=None):
    """base_env: the environment to add env to (default: this process's)."""
    log = open(os.path.join(WORK, log_name), "w")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=cwd or WORK,
                            env={**(os.environ if base_env is None else base_env), **(env or {})})
    _procs.append(proc)
    return proc


def stop(proc):
    proc.terminate()
    proc.wait(20)


def get(url, timeout=5.0, headers=None):
    """(status, body bytes); an HTTP error status is an answer too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until(condition, seconds, what, proc=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"{what}: the process exited with {proc.returncode} (logs in {WORK})")
        try:
            if condition():
                return
        except (OSError, subprocess.CalledProcessError):
            pass
        time.sleep(0.02)
    raise SystemExit(f"timed out after {seconds} s waiting for {what} (logs in {WORK})")


def proc_status(pid, field):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


def cpu_seconds(pid):
    """User + system CPU the process has used (/proc/PID/stat): steadier than wall time on a shared machine."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    return proc_status(pid, "VmRSS")


def threads(pid):
    return proc_status(pid, "Threads")


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def base_config(chaos_port, users_port=None):
    """The root appsettings.json, its upstreams moved to our ports, the access log and console noise off."""
    with open(os.path.join(ROOT, "appsettings.json")) as f:
        text = f.read()
    text = text.replace("http://127.0.0.1:5002", f"http://127.0.0.1:{chaos_port}")
    if users_port:
        text = text.replace("http://127.0.0.1:5001", f"http://127.0.0.1:{users_port}")
    config = json.loads(text)
    config["Logging"]["LogLevel"]["Default"] = "Warning"
    config["AccessLog"]["Enabled"] = False
    return config


def write_config(path, config):
    """Written aside and renamed in, so the watcher never reads half a file."""
    with open(path + ".tmp", "w") as f:
        json.dump(config, f, indent=1)
    os.replace(path + ".tmp", path)


def start_chaos():
    port = free_port()
    proc = start(["dotnet", dll("Samples.Chaos"), "--urls", f"http://127.0.0.1:{port}"], "chaos.log")
    wait_until(lambda: get(f"http://127.0.0.1:{port}/healthz")[0] == 200, 180, "the chaos service")
    return port, proc


class Gateway:
    def __init__(self, config_path, extra_args=(), env=None, log_name="gateway.log"):
        self.public = free_port()
        self.admin = free_port()
        self.started = time.monotonic()
        self.proc = start(["dotnet", dll("Gateway.Host"), f"--Gateway:ConfigFile={config_path}", "--Gateway:DemoMode=true",
                           f"--Gateway:Urls:Public=http://127.0.0.1:{self.public}",
                           f"--Gateway:Urls:Admin=http://127.0.0.1:{self.admin}", *extra_args], log_name, env=env)
        self.pid = self.proc.pid
        self.log = os.path.join(WORK, log_name)

    def url(self, path):
        return f"http://127.0.0.1:{self.public}{path}"

    def wait(self, condition, seconds, what):
        wait_until(condition, seconds, what, self.proc)

    def status(self, path, headers=None):
        return get(self.url(path), headers=headers)[0]

    def metrics(self):
        return get(f"http://127.0.0.1:{self.admin}/metrics", timeout=60)[1].decode()

    def metric(self, name, labels=""):
        """The sum of a family's samples whose label text contains `labels`."""
        total = 0.0
        for line in self.metrics().splitlines():
            if line.startswith(name + "{") or line.startswith(name + " "):
                if labels in line:
                    total += float(line.rsplit(" ", 1)[1])
        return total

    def health(self):
        return json.loads(get(f"http://127.0.0.1:{self.admin}/healthz")[1] or b"{}")

    def stop(self):
        stop(self.proc)


def mib(kib):
    return kib / 1024
