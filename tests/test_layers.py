"""The layers contract (pyproject.toml, run by `make lint`): imports run one way. Checked on a copy of the
code, first as it is (kept), then with one forbidden import written into it (broken)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture
def copy(tmp_path) -> Path:
    for package in ("awards", "workflows", "config"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "fonts"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "pyproject.toml", "--no-cache"],
        cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def add_import(path: Path, line: str) -> None:
    path.write_text(f"{line}\n{path.read_text()}")


def test_the_code_as_it_is_keeps_every_contract(copy):
    result = lint_imports(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "refusal"),
    [
        ("awards/selectors/reports.py", "from ..services import reports as _writes",
         "awards.selectors is not allowed to import awards.services"),
        ("awards/services/org.py", "from ..demo import org as _demo", "awards.services is not allowed to import awards.demo"),
        ("workflows/engine.py", "import awards.demo.org", "workflows is not allowed to import awards.demo"),
        ("awards/models/org.py", "from ..permissions import Cap as _cap", "awards.models is not allowed to import awards.permissions"),
        ("awards/selectors/org.py", "from . import home as _home", "No cycles are allowed in awards.selectors"),
    ],
    ids=["selector-imports-service", "product-imports-demo", "workflows-import-demo", "model-imports-rule",
         "cycle-between-selectors"],
)  # fmt: skip
def test_a_forbidden_import_breaks_the_contract(copy, module, line, refusal):
    add_import(copy / module, f"{line}  # noqa")
    result = lint_imports(copy)
    assert result.returncode == 1
    assert refusal in result.stdout
