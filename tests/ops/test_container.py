"""The container image (Containerfile): only run-time dependencies, pinned by the one lock file; an unprivileged user;
a health check on the liveness path.

Without a container runtime the image cannot be built in the test suite; these tests read the Containerfile and
check the dependency sets it installs against the package metadata of the development environment, which
`make install` builds from the same requirements.lock.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
CONTAINERFILE = (ROOT / "Containerfile").read_text()


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def _closure(requirements: list[str]) -> set[str]:
    """Every distribution that installing `requirements` brings in, read from the installed packages' metadata."""
    seen: set[str] = set()
    todo = [(Requirement(r), "") for r in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({**default_environment(), "extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        extras = sorted(requirement.extras)
        key = f"{name}[{','.join(extras)}]"
        if key in seen:
            continue
        seen.add(key)
        for child in metadata.requires(name) or []:
            child_requirement = Requirement(child)
            # A child guarded by `extra == "x"` only comes with x; the others come with the package itself.
            for wanted in extras or [""]:
                todo.append((child_requirement, wanted))
    return {key.split("[", 1)[0] for key in seen}


RUNTIME = _closure(PYPROJECT["project"]["dependencies"])
DEV = _closure(PYPROJECT["project"]["optional-dependencies"]["dev"])


def test_the_run_time_set_is_pinned_in_the_lock_at_the_installed_versions():
    lock = _lock()
    assert RUNTIME - set(lock) == set()
    assert {name: metadata.version(name) for name in RUNTIME} == {name: lock[name] for name in RUNTIME}
    # And the lock pins nothing that neither the app nor development needs.
    assert set(lock) - RUNTIME - DEV == set()


def test_the_run_time_set_holds_each_main_dependency_and_none_of_the_development_tools():
    main = {canonicalize_name(Requirement(r).name) for r in PYPROJECT["project"]["dependencies"]}
    dev = {canonicalize_name(Requirement(r).name) for r in PYPROJECT["project"]["optional-dependencies"]["dev"]}
    assert main <= RUNTIME
    assert dev & RUNTIME == set()
    for tool in ("pytest", "ruff", "mypy", "locust", "playwright", "schemathesis", "hypothesis", "factory-boy",
                 "djlint", "import-linter", "gevent", "flask"):  # fmt: skip
        assert tool not in RUNTIME, tool


def _imports(path: Path) -> set[str]:
    """The top-level modules a file imports, except those only a type checker reads."""
    tree = ast.parse(path.read_text(), str(path))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(child) for child in ast.walk(node))
    names = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_every_third_party_module_the_app_imports_comes_with_the_run_time_set():
    providers = metadata.packages_distributions()
    missing = {}
    for path in (ROOT / "src" / "nyskap").rglob("*.py"):
        for module in _imports(path) - set(sys.stdlib_module_names) - {"nyskap"}:
            distributions = {canonicalize_name(d) for d in providers.get(module, [])}
            if not distributions & RUNTIME:
                missing[module] = str(path.relative_to(ROOT))
    assert missing == {}


def _final_stage() -> list[str]:
    stages = re.split(r"^FROM ", CONTAINERFILE, flags=re.MULTILINE)
    # Instructions with their continuation lines joined.
    return [line.strip() for line in stages[-1].replace("\\\n", " ").splitlines() if line.strip()]


def test_the_image_installs_the_main_dependencies_constrained_by_the_lock_and_never_the_whole_lock():
    installs = [line for line in _final_stage() if "pip install" in line]
    assert any(
        "['project']['dependencies']" in line and "--constraint requirements.lock" in line for line in installs
    ), installs
    for line in installs:
        assert not re.search(r"(-r|--requirement)\s+requirements\.lock", line), line
        assert "[dev]" not in line, line


def test_the_image_runs_as_an_unprivileged_user_and_checks_health_on_the_liveness_path():
    stage = _final_stage()
    users = [line.split()[1] for line in stage if line.startswith("USER ")]
    assert users, "no USER in the final stage"
    user = users[-1].split(":")[0]
    assert user not in ("0", "root"), user
    assert int(user) >= 1000
    # Nothing after USER switches back to root.
    assert stage.index(next(line for line in reversed(stage) if line.startswith("USER "))) > max(
        i for i, line in enumerate(stage) if line.startswith("RUN ")
    )
    healthcheck = next(line for line in stage if line.startswith("HEALTHCHECK "))
    assert "/helse/live/" in healthcheck
    assert stage[-1].startswith("CMD ") and "deploy/start-app.sh" in stage[-1]


def test_compose_runs_the_app_and_the_worker_on_a_read_only_root_with_no_capabilities():
    import yaml

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    for name in ("app", "worker"):
        service = compose["services"][name]
        assert service["read_only"] is True, name
        assert service["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in service["security_opt"], name
        # The only writable places: a tmpfs and the uploaded files.
        assert service["tmpfs"] == ["/tmp"], name  # noqa: S108 - the container's own tmpfs
        assert service["volumes"] == ["media:/app/var/media"], name
    assert "/helse/" in " ".join(compose["services"]["app"]["healthcheck"]["test"])
