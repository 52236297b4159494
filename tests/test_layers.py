"""The stages only look down: no cycle between the package's first-level names, no benchmark inside the
product package, and the import-linter contract kept (and broken by an upward import)."""
import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"
LINT = Path(sys.executable).with_name("lint-imports")


def _first_level_graph(package: Path) -> dict[str, set[str]]:
    """Edges between first-level names (`pipeline.<name>`), read from every import line."""
    names = {p.stem for p in package.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    graph: dict[str, set[str]] = {n: set() for n in names}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        here = parts[1]
        pkg = parts[:-1] if path.name != "__init__.py" else parts[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = list(pkg[:len(pkg) - node.level + 1]) if node.level else []
                target = base + (node.module.split(".") if node.module else [])
                targets = [target + [a.name] for a in node.names] if len(target) < 2 else [target]
            elif isinstance(node, ast.Import):
                targets = [a.name.split(".") for a in node.names]
            else:
                continue
            for t in targets:
                if len(t) >= 2 and t[0] == "pipeline" and t[1] in names and t[1] != here:
                    graph[here].add(t[1])
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str]:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = 2
        return []

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return []


def test_no_cycle_between_first_level_names():
    graph = _first_level_graph(PACKAGE)
    assert {"files", "status", "report", "documents", "drafting"} <= set(graph)
    assert _cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path):
    pkg = tmp_path / "pipeline"
    (pkg / "a").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a" / "__init__.py").write_text("from pipeline.b import x\n")
    (pkg / "b.py").write_text("from pipeline.a import y\n")
    assert _cycle(_first_level_graph(pkg)) in (["a", "b", "a"], ["b", "a", "b"])


def test_no_benchmark_in_the_product_package():
    assert not [p.name for p in PACKAGE.rglob("bench*")]
    assert (ROOT / "bench" / "run.py").is_file()


def _lint(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache", "--no-logo"], cwd=project, capture_output=True, text=True,
                          timeout=300)


def test_the_layers_contract_is_kept():
    proc = _lint(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Stages only look down KEPT" in proc.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    files = tmp_path / "pipeline" / "files.py"   # the ground reaching up to a run
    files.write_text(files.read_text(encoding="utf-8") + "\nfrom pipeline.report import build_report  # noqa\n",
                     encoding="utf-8")
    proc = _lint(tmp_path)
    assert proc.returncode != 0
    assert "BROKEN" in proc.stdout and "pipeline.files -> pipeline.report" in proc.stdout
