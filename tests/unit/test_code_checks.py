"""The code checks CI runs, as tests: lint, formatting, static types and the import layering.

Each tool runs from the repository root (found from this file, not the working directory) with
the interpreter running the tests, so it is the copy installed by ``pip install '.[test]'``.
The tools read their settings from pyproject.toml.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN_DIR = Path(sys.executable).parent


def _check(command: list[str], *, timeout: float) -> None:
    try:
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{' '.join(command)} did not finish within {timeout:.0f} s: {exc.output!r}")
    assert result.returncode == 0, (
        f"{' '.join(command)} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )


def test_ruff_finds_no_lint_problems() -> None:
    _check([sys.executable, "-m", "ruff", "check", "."], timeout=100)


def test_ruff_format_leaves_every_file_as_it_is() -> None:
    _check([sys.executable, "-m", "ruff", "format", "--check", "."], timeout=100)


@pytest.mark.timeout(300)
def test_mypy_finds_no_type_errors() -> None:
    # No arguments: [tool.mypy] names the files to check.
    _check([sys.executable, "-m", "mypy"], timeout=280)


def test_imports_keep_to_the_layering_contracts() -> None:
    # A console script of the same environment: it sits next to the interpreter.
    lint_imports = shutil.which("lint-imports", path=str(BIN_DIR))
    assert lint_imports is not None, f"lint-imports is not installed in {BIN_DIR}"
    _check([lint_imports], timeout=100)
