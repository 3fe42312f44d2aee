"""Deploy files of the Docker and Kubernetes options: schemas, real nginx, a real browser.

One project baked with both options serves the module. The Kubernetes manifests are
validated offline against the Kubernetes schemas (kubernetes-validate, strict mode);
no cluster runs here. nginx runs for real with the shipped site config in front of
two `streamlit run serve.py` replicas on loopback ports; `docker compose up` does not
run (no Docker engine), so the compose file is checked against the nginx config and
the Dockerfile instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from helpers import (
    OPTION_FILES,
    TEMPLATE_DIR,
    bake,
    copy_project,
    free_port,
    refusal_reasons,
    run,
    stop,
    wait_until_healthy,
)
from test_health_server import chromium_paths, page_text, start_chromium, wait_for

SLUG = "sales__app_"
NAME = "sales--app"  # the slug as a Kubernetes name: _ becomes -, no - at either end
PROJECT_TEMPLATE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
KUBERNETES_DIR = "deploy/kubernetes"
NGINX_CONF = "deploy/nginx/streamlit.conf"
# The oldest Kubernetes release still common in managed clusters, and the newest schema.
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")
# Service, Ingress, Deployment and PodDisruptionBudget names: DNS-1035 labels.
DNS_LABEL = re.compile(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?")
FRESHNESS_COMMAND = 'python scripts/bump.py status --url "$URL" --wait 600 --consecutive 3'
STARTUP_SECONDS = 60
COOKIE_SECRET = "one-secret-for-every-replica"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("deploy")
    return bake(
        out, project_slug=SLUG, init_git=False, include_docker=True, include_kubernetes=True
    )


def load(project: Path, name: str):
    return yaml.safe_load((project / name).read_text(encoding="utf-8"))


def manifests(project: Path) -> dict[str, dict]:
    """Every Kubernetes resource in deploy/kubernetes, by kind."""
    found = {}
    for path in sorted((project / KUBERNETES_DIR).glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            assert document["kind"] not in found, f"two {document['kind']} resources"
            found[document["kind"]] = document
    return found


def dockerfile(project: Path) -> str:
    return (project / "Dockerfile").read_text(encoding="utf-8")


def only_container(deployment: dict) -> dict:
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    return container


# --- which files each option brings ------------------------------------------------


@pytest.mark.parametrize(
    ("docker", "kubernetes"), [(False, False), (True, False), (False, True)], ids=str
)
def test_each_option_brings_its_files_and_kubernetes_brings_the_dockerfile(
    tmp_path, docker, kubernetes
):
    # A 64-character slug: Kubernetes names stop at 63.
    slug = "k" * 64
    project = bake(
        tmp_path, project_slug=slug, init_git=False,
        include_docker=docker, include_kubernetes=kubernetes,
    )  # fmt: skip
    has = {name: (project / name).exists() for name in OPTION_FILES}
    assert has["Dockerfile"] is has[".dockerignore"] is (docker or kubernetes)
    assert has[".github/workflows/freshness.yml"] is (docker or kubernetes)
    assert has["docker-compose.yml"] is (project / NGINX_CONF).is_file() is docker
    assert (project / KUBERNETES_DIR).is_dir() is kubernetes
    assert has["deploy/"] is (docker or kubernetes), "an empty deploy/ is left behind"
    if kubernetes:
        for resource in manifests(project).values():
            assert DNS_LABEL.fullmatch(resource["metadata"]["name"]), resource["metadata"]
            assert len(resource["metadata"]["name"]) == 63


def test_option_files_without_jinja_are_baked_byte_for_byte(project):
    for name in (NGINX_CONF, "docker-compose.yml"):
        assert (project / name).read_bytes() == (PROJECT_TEMPLATE / name).read_bytes(), name


# --- Kubernetes ----------------------------------------------------------------------


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_manifest_validates_against_the_kubernetes_schemas(project, version):
    resources = manifests(project)
    assert set(resources) == {"Deployment", "Service", "Ingress", "PodDisruptionBudget"}
    for kind, resource in resources.items():
        kubernetes_validate.validate(resource, version, strict=True)
        assert DNS_LABEL.fullmatch(resource["metadata"]["name"]), kind
        assert resource["metadata"]["name"] == NAME


def test_strict_validation_catches_a_misspelt_field(project):
    deployment = manifests(project)["Deployment"]
    settings = only_container(deployment)["securityContext"]
    settings["readOnlyRootFileSystem"] = settings.pop("readOnlyRootFilesystem")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[-1], strict=True)


def test_kustomization_applies_every_manifest_and_names_the_image(project):
    kustomization = load(project, f"{KUBERNETES_DIR}/kustomization.yaml")
    files = sorted(
        path.name
        for path in (project / KUBERNETES_DIR).glob("*.yaml")
        if path.name != "kustomization.yaml"
    )
    assert sorted(kustomization["resources"]) == files
    (image,) = kustomization["images"]
    assert image["name"] == only_container(manifests(project)["Deployment"])["image"]
    assert image["newTag"] == "0.1.0"


def test_kubectl_kustomize_builds_valid_resources(project):
    kubectl = shutil.which("kubectl")
    if not kubectl:
        pytest.skip("kubectl is not installed; the manifests are still validated one by one")
    built = run([kubectl, "kustomize", project / KUBERNETES_DIR], cwd=project).stdout
    resources = {doc["kind"]: doc for doc in yaml.safe_load_all(built)}
    assert set(resources) == set(manifests(project))
    for resource in resources.values():
        kubernetes_validate.validate(resource, KUBERNETES_VERSIONS[-1], strict=True)
    image = only_container(resources["Deployment"])["image"]
    assert image == f"registry.example.com/{NAME}:0.1.0"


def test_deployment_rolls_out_without_dropping_below_two_ready_pods(project):
    spec = manifests(project)["Deployment"]["spec"]
    assert spec["replicas"] >= 2
    assert spec["strategy"]["type"] == "RollingUpdate"
    assert spec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    assert spec["strategy"]["rollingUpdate"]["maxSurge"] >= 1
    pod = spec["template"]["spec"]
    (spread,) = pod["topologySpreadConstraints"]
    assert (
        spread["labelSelector"]["matchLabels"].items()
        <= spec["template"]["metadata"]["labels"].items()
    )
    pause = only_container(manifests(project)["Deployment"])["lifecycle"]["preStop"]["exec"]
    assert pause["command"][0] == "sleep"
    assert int(pause["command"][1]) < pod["terminationGracePeriodSeconds"]


def test_probes_keep_stale_pods_out_of_service_without_restarting_them(project):
    container = only_container(manifests(project)["Deployment"])
    (port,) = container["ports"]
    assert port["containerPort"] == 8501 and "EXPOSE 8501" in dockerfile(project)
    assert "serve.py" in dockerfile(project).splitlines()[-1], "the image must run serve.py"
    probes = {kind: container[kind]["httpGet"] for kind in ("readinessProbe", "livenessProbe")}
    assert probes["readinessProbe"]["path"] == "/api/health"
    assert probes["livenessProbe"]["path"] == "/_stcore/health"
    startup = container["startupProbe"]
    assert startup["httpGet"]["path"] == "/_stcore/health"
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 60
    for probe in probes.values():
        assert probe["port"] in (port["name"], port["containerPort"])


def test_pods_run_locked_down_as_the_images_user(project):
    deployment = manifests(project)["Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    container = only_container(deployment)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert f"USER {pod['securityContext']['runAsUser']}" in dockerfile(project)
    settings = container["securityContext"]
    assert settings["allowPrivilegeEscalation"] is False
    assert settings["readOnlyRootFilesystem"] is True
    assert settings["capabilities"]["drop"] == ["ALL"]
    assert pod["automountServiceAccountToken"] is False
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])
    mounts = {mount["mountPath"] for mount in container["volumeMounts"]}
    assert "/tmp" in mounts


def test_cookie_secret_comes_from_a_secret_and_no_secret_value_is_kept(project):
    container = only_container(manifests(project)["Deployment"])
    env = {variable["name"]: variable for variable in container["env"]}
    reference = env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]["secretKeyRef"]
    assert reference == {"name": f"{NAME}-secrets", "key": "cookie-secret"}
    assert all("SECRET" not in name and "TOKEN" not in name or "value" not in variable
               for name, variable in env.items())  # fmt: skip
    assert "Secret" not in manifests(project)
    volumes = manifests(project)["Deployment"]["spec"]["template"]["spec"]["volumes"]
    secret_volumes = [volume["secret"] for volume in volumes if "secret" in volume]
    assert secret_volumes == [
        {
            "secretName": f"{NAME}-secrets",
            "optional": True,
            "items": [{"key": "secrets.toml", "path": "secrets.toml"}],
        }
    ]
    readme = (project / "README.md").read_text(encoding="utf-8")
    command = f"kubectl create secret generic {NAME}-secrets --from-literal=cookie-secret="
    assert command + "\"$(python -c 'import secrets; print(secrets.token_urlsafe(32))')\"" in readme


def test_service_ingress_and_budget_keep_sessions_on_one_pod(project):
    resources = manifests(project)
    pod_labels = resources["Deployment"]["spec"]["template"]["metadata"]["labels"]
    service = resources["Service"]["spec"]
    assert service["selector"].items() <= pod_labels.items()
    assert service["sessionAffinity"] == "ClientIP"
    (service_port,) = service["ports"]

    ingress = resources["Ingress"]
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(annotations[f"nginx.ingress.kubernetes.io/{timeout}"]) >= 3600
    assert ingress["spec"]["ingressClassName"] == "nginx"
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    backend = path["backend"]["service"]
    assert backend == {"name": resources["Service"]["metadata"]["name"], "port": {"name": "http"}}
    assert service_port["name"] == "http"

    budget = resources["PodDisruptionBudget"]["spec"]
    assert budget["selector"]["matchLabels"].items() <= pod_labels.items()
    assert budget["minAvailable"] == 1


# --- compose, the freshness workflow, README -------------------------------------------


def upstream_servers(conf: str, name: str) -> list[str]:
    block = re.search(r"upstream " + name + r" \{(.*?)\}", conf, flags=re.DOTALL)
    assert block, f"no upstream {name}"
    return re.findall(r"^\s*server (\S+)", block.group(1), flags=re.MULTILINE)


def test_compose_runs_two_replicas_with_one_secret_behind_the_nginx_config(project):
    compose = load(project, "docker-compose.yml")
    services = compose["services"]
    replicas = sorted(name for name in services if name != "nginx")
    assert len(replicas) >= 2
    conf = (project / NGINX_CONF).read_text(encoding="utf-8")
    expected = [f"{name}:8501" for name in replicas]
    assert upstream_servers(conf, "streamlit_sticky") == expected
    assert upstream_servers(conf, "streamlit_each") == expected
    first = services[replicas[0]]
    assert all(services[name] == first for name in replicas)
    assert first["build"] == "."
    secret = first["environment"]["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert secret.startswith("${STREAMLIT_SERVER_COOKIE_SECRET:?"), "never a literal secret"
    assert first["read_only"] is True
    nginx = services["nginx"]
    assert f"./{NGINX_CONF}:/etc/nginx/conf.d/default.conf:ro" in nginx["volumes"]
    assert ".env" in (project / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_freshness_workflow_is_opt_in_and_waits_for_every_replica(project):
    workflow = load(project, ".github/workflows/freshness.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "workflow_dispatch" in triggers and "deployment_status" in triggers
    (job,) = workflow["jobs"].values()
    # A job whose `if` is false is skipped, and the run stays green.
    assert "vars.FRESHBOOT_URL != ''" in job["if"]
    (step,) = [step for step in job["steps"] if "bump.py" in step.get("run", "")]
    assert step["run"] == FRESHNESS_COMMAND
    assert step["env"] == {"URL": "${{ vars.FRESHBOOT_URL }}"}


def test_readme_runs_kubernetes_and_nginx_and_says_what_was_not_tested(project):
    readme = (project / "README.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", readme, flags=re.MULTILINE)
    assert headings.index("Run it behind nginx") == headings.index("Docker") + 1
    assert headings.index("Run it on Kubernetes") == headings.index("Docker") + 2
    assert "kubectl apply -k deploy/kubernetes" in readme
    assert "docker compose up --build --detach" in readme
    assert readme.count("--wait 600 --consecutive 3") >= 3
    assert "Nothing was applied to a live cluster" in readme
    assert "`docker compose up` itself was not run" in readme


def test_readme_without_the_options_says_how_to_get_the_deploy_files(default_project):
    readme = (default_project / "README.md").read_text(encoding="utf-8")
    nginx = readme.split("## Run it behind nginx", 1)[1].split("\n## ", 1)[0]
    kubernetes = readme.split("## Run it on Kubernetes", 1)[1].split("\n## ", 1)[0]
    assert "include_docker=yes" in nginx and "docker compose" not in nginx
    assert "include_kubernetes=yes" in kubernetes and "kubectl" not in kubernetes
    assert "## Every replica fresh after a deploy" not in readme


# --- nginx for real ---------------------------------------------------------------------


def nginx_path() -> str:
    path = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )
    if path:
        return path
    message = "Debian's nginx is needed for the reverse-proxy tests"
    if os.environ.get("FRESHBOOT_REQUIRE_NGINX") == "1":
        pytest.fail(f"{message} (FRESHBOOT_REQUIRE_NGINX=1)")
    pytest.skip(message)


def site_for_loopback(conf: str, listen: int, replicas: list[int]) -> str:
    """The shipped site config with the compose addresses swapped for loopback ports.

    Only these substitutions are made: `listen 80;` becomes 127.0.0.1:<listen>, and
    `server appN:8501` becomes 127.0.0.1:<port of replica N>, in both upstreams.
    """
    site = conf.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    assert site.count(f"127.0.0.1:{listen}") == 1
    for number, port in enumerate(replicas, start=1):
        old = f"server app{number}:8501 "
        assert conf.count(old) == 2, old
        site = site.replace(old, f"server 127.0.0.1:{port} ")
    return site


def nginx_main_conf(prefix: Path) -> str:
    """A main nginx.conf that includes the site, with every path inside ``prefix``.

    The access log records which replica answered each request; temp files are off
    because a root master's workers may not write into the test's private folder.
    """
    return f"""daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 256; }}
http {{
    log_format replica '$request_uri $upstream_addr $status';
    access_log {prefix}/access.log replica;
    proxy_max_temp_file_size 0;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def write_nginx_conf(project: Path, prefix: Path, listen: int, replicas: list[int]) -> Path:
    prefix.mkdir(parents=True, exist_ok=True)
    conf = (project / NGINX_CONF).read_text(encoding="utf-8")
    (prefix / "site.conf").write_text(site_for_loopback(conf, listen, replicas))
    main = prefix / "nginx.conf"
    main.write_text(nginx_main_conf(prefix))
    return main


def nginx_command(prefix: Path, *args: str) -> list[str]:
    return [nginx_path(), "-p", str(prefix), "-e", str(prefix / "error.log"), *args]


def test_nginx_accepts_the_site_config(project, tmp_path):
    main = write_nginx_conf(project, tmp_path, free_port(), [free_port(), free_port()])
    done = run([*nginx_command(tmp_path, "-t", "-c", str(main))], cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_nginx_refuses_a_broken_site_config(project, tmp_path):
    main = write_nginx_conf(project, tmp_path, free_port(), [free_port(), free_port()])
    site = tmp_path / "site.conf"
    site.write_text(site.read_text().replace("ip_hash;", "sticky;"))
    done = run([*nginx_command(tmp_path, "-t", "-c", str(main))], cwd=tmp_path, check=False)
    assert done.returncode != 0 and 'unknown directive "sticky"' in done.stderr


def tree_state(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(root)): (path.stat().st_mtime_ns, path.stat().st_size)
        for path in root.rglob("*")
    }


def read_only(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def writable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


class Replicas:
    """Two `streamlit run serve.py` replicas as the image runs them: same cookie secret,
    an unwritable home and project folder (a read-only root filesystem), scratch TMPDIR."""

    def __init__(self, project: Path, base: Path, stack: ExitStack):
        self.project, self.home = project, base / "home"
        self.home.mkdir()
        self.tmp = base / "tmp"
        self.tmp.mkdir()
        read_only(project)
        stack.callback(writable, project)
        self.home.chmod(0o555)
        stack.callback(self.home.chmod, 0o755)
        self.before = {"project": tree_state(project), "home": tree_state(self.home)}
        self.ports, self.processes = [], []
        for _ in range(2):
            self.start(base, stack)

    def start(self, base: Path, stack: ExitStack) -> None:
        port = free_port()
        log = base / f"replica.{port}.log"
        command = [sys.executable, "-m", "streamlit", "run", "serve.py"]
        command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
        env = {
            **os.environ,
            "STREAMLIT_SERVER_COOKIE_SECRET": COOKIE_SECRET,
            "HOME": str(self.home),
            "TMPDIR": str(self.tmp),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",
        }
        with log.open("w", encoding="utf-8") as output:
            process = subprocess.Popen(
                command,
                cwd=self.project,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        stack.callback(stop, process)
        self.ports.append(port)
        self.processes.append((process, log))

    def wait(self) -> None:
        for (process, log), port in zip(self.processes, self.ports, strict=True):
            wait_until_healthy(process, port, log, STARTUP_SECONDS)

    def pids(self) -> list[int]:
        return [process.pid for process, _ in self.processes]

    def port_of(self, pid: int) -> int:
        return self.ports[self.pids().index(pid)]

    def stop_by_pid(self, pid: int) -> None:
        stop(next(process for process, _ in self.processes if process.pid == pid))


class Nginx:
    def __init__(self, project: Path, prefix: Path, replicas: list[int], stack: ExitStack):
        self.port, self.prefix = free_port(), prefix
        main = write_nginx_conf(project, prefix, self.port, replicas)
        self.process = subprocess.Popen(
            nginx_command(prefix, "-c", str(main)),
            cwd=prefix,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        stack.callback(self.stop)
        wait_for(self.listening, "nginx to listen", 15)

    def listening(self) -> bool:
        if self.process.poll() is not None:
            log = (self.prefix / "error.log").read_text(errors="replace")
            raise AssertionError(f"nginx exited {self.process.returncode}:\n{log}")
        try:
            with urllib.request.urlopen(self.url("/_stcore/health"), timeout=5):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    def stop(self) -> None:
        # `nginx -s quit` would wait for open websockets; stop() signals the whole group.
        stop(self.process)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def health(self) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(self.url("/api/health"), timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def upstreams(self) -> list[tuple[str, str]]:
        """(request path, replica address) for every request nginx has logged."""
        lines = (self.prefix / "access.log").read_text().splitlines()
        return [tuple(line.split()[:2]) for line in lines]


@pytest.fixture
def served(project, tmp_path):
    """Two replicas of the project and nginx in front of them, all stopped afterwards."""
    chromium_paths(), nginx_path()  # skip (or fail in CI) before starting anything
    with ExitStack() as stack:
        started = Replicas(copy_project(project, tmp_path / "project"), tmp_path, stack)
        started.wait()
        yield started, Nginx(started.project, tmp_path / "nginx", started.ports, stack)


def open_browser(profile: Path, stack: ExitStack):
    driver = start_chromium(profile)
    stack.callback(driver.quit)
    return driver


def rendered_replica(driver, pids: list[int]) -> int | None:
    """The pid the rendered /health page shows, once it shows one of ``pids``."""
    text = page_text(driver)
    if "Deployment version" not in text:
        return None
    shown = [int(pid) for pid in re.findall(r"\bpid\s+(\d+)\b", text)]
    return shown[0] if len(shown) == 1 and shown[0] in pids else None


def assert_api_health_takes_turns(nginx: Nginx, replicas: Replicas) -> None:
    answers = [nginx.health() for _ in range(4)]
    assert all(status == 200 and report["verdict"] == "fresh" for status, report in answers)
    assert {report["process"]["pid"] for _, report in answers} == set(replicas.pids())


def assert_session_renders_on_one_replica(nginx: Nginx, replicas: Replicas, driver) -> int:
    """Open /health through nginx; the pid of the replica that rendered it."""
    driver.get(nginx.url("/health"))
    pid = wait_for(lambda: rendered_replica(driver, replicas.pids()), "/health through nginx")
    assert "FRESH" in page_text(driver)  # the page ran: its websocket works through nginx
    # The page shows the pid of the replica that ran it over the websocket; every HTTP
    # request of the session (nginx logs the websocket only when it closes) went there too.
    session = [address for path, address in nginx.upstreams() if path != "/api/health"]
    assert set(session) == {f"127.0.0.1:{replicas.port_of(pid)}"}, session
    return pid


# One test, so that one pair of replicas serves every check even when pytest-xdist
# spreads a module's tests over several workers.
@pytest.mark.slow
@pytest.mark.browser
def test_two_replicas_behind_nginx_serve_sessions_and_survive_a_stop(served, tmp_path):
    replicas, nginx = served
    assert_api_health_takes_turns(nginx, replicas)
    with ExitStack() as stack:
        driver = open_browser(tmp_path / "chromium-profile", stack)
        first = assert_session_renders_on_one_replica(nginx, replicas, driver)

        replicas.stop_by_pid(first)
        driver.get(nginx.url("/health"))
        second = wait_for(lambda: rendered_replica(driver, replicas.pids()), "a new session")
        assert second != first
        assert "FRESH" in page_text(driver)
    status, report = nginx.health()
    assert (status, report["process"]["pid"]) == (200, second)
    # Pages, websockets and /api/health were served: yet no file changed outside TMPDIR,
    # so the image runs with a read-only root filesystem.
    for name, root in (("project", replicas.project), ("home", replicas.home)):
        before, after = replicas.before[name], tree_state(root)
        changed = sorted(
            path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
        )
        assert changed == [], f"the replicas wrote into their {name} folder"


@pytest.mark.parametrize("value", [None, 2], ids=repr)
def test_include_kubernetes_of_another_type_is_refused(tmp_path, capsys, value):
    with pytest.raises(SystemExit):
        bake(tmp_path / "out", include_kubernetes=value)
    (line,) = refusal_reasons(capsys.readouterr().err)
    assert line.startswith("freshboot: include_kubernetes must be yes or no"), line
    assert list((tmp_path / "out").iterdir()) == []
