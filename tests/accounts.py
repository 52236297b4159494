"""Running the tool as an ordinary account, the way permissions stop a clerk.

Not root: the test's own account is ordinary, commands run as they are. Root (permissions stop
nothing): commands run as `nobody` through setpriv, from a folder nobody can reach — the checkout
may sit in root's 0700 home, so the code, the installed libraries and the scripts are copied
(libraries hard-linked when the disk allows) into a world-readable temporary folder. Where this
cannot be done, the test is skipped with the reason.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

NOBODY = 65534
_SETPRIV = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
# What the package needs next to it (templates are found relative to the package).
_CODE = ("pipeline", "templates", "bench")
_NOT_COPIED = shutil.ignore_patterns("__pycache__", "__editable__*", "*.pth", "_distutils_hack", "pip",
                                     "pip-*", "setuptools", "setuptools-*")


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


class Ordinary:
    """Run commands (and this Python with the project's libraries) as an ordinary account."""

    def __init__(self, root: Path):
        self.root = root
        self.is_root = os.geteuid() == 0
        self.place = Path(tempfile.mkdtemp(prefix="baocao-tai-khoan-"))
        self._python: list[str] | None = None
        self._env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        if not self.is_root:
            return
        if shutil.which("setpriv") is None:
            self.close()
            pytest.skip("cần lệnh setpriv (gói util-linux) để chạy thử bằng tài khoản không có quyền root")
        os.chmod(self.place, 0o755)
        self._env["HOME"] = str(self.place)
        if self.run(["/bin/sh", "-c", 'cd "$1"', "-", str(self.place)]).returncode != 0:
            self.close()
            pytest.skip(f"tài khoản nobody không vào được thư mục tạm {self.place.parent} (TMPDIR)")

    def env(self) -> dict:
        """The environment commands get (HOME and PYTHONPATH usable by the account)."""
        return dict(self._env)

    def run(self, argv: list[str], **kw) -> subprocess.CompletedProcess:
        kw.setdefault("env", self._env)
        return subprocess.run([*_SETPRIV, *argv] if self.is_root else argv, capture_output=True, text=True, **kw)

    def folder(self, name: str) -> Path:
        """A new folder the account may use (world-readable when the account is nobody)."""
        path = self.place / name
        path.mkdir(mode=0o755)
        path.chmod(0o755)
        return path

    def script(self, path: Path) -> str:
        """A copy of a script of the checkout that the account may run."""
        if not self.is_root:
            return str(path)
        dst = self.place / "scripts" / path.name
        dst.parent.mkdir(exist_ok=True, mode=0o755)
        shutil.copy2(path, dst)
        return str(dst)

    def python(self) -> list[str]:
        """The command that runs this Python, with the project's code and libraries, as the account."""
        if self._python is None:
            self._python = [sys.executable] if not self.is_root else self._python_for_nobody()
        return self._python

    def _python_for_nobody(self) -> list[str]:
        code, site = self.place / "code", self.place / "site"
        for name in _CODE:
            if (self.root / name).is_dir():
                shutil.copytree(self.root / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(sysconfig.get_paths()["purelib"], site, ignore=_NOT_COPIED, copy_function=_link_or_copy)
        for folder, dirs, _ in os.walk(self.place):
            for d in dirs:
                os.chmod(os.path.join(folder, d), 0o755)
        self._env["PYTHONPATH"] = f"{code}{os.pathsep}{site}"
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        tried = []
        for candidate in dict.fromkeys([os.path.realpath(sys._base_executable), shutil.which(version, path="/usr/bin"),
                                        shutil.which(version), shutil.which("python3")]):
            if not candidate:
                continue
            tried.append(candidate)
            probe = self.run([candidate, "-c", f"import sys; assert sys.version_info[:2] == {sys.version_info[:2]}; "
                                               "import pandas, weasyprint, pipeline.cli"], cwd=self.place)
            if probe.returncode == 0:
                return [candidate]
        self.close()
        pytest.skip(f"tài khoản nobody không chạy được Python {sys.version_info.major}.{sys.version_info.minor} với "
                    f"các thư viện của dự án (đã thử: {', '.join(tried)})")

    def close(self) -> None:
        shutil.rmtree(self.place, ignore_errors=True)
