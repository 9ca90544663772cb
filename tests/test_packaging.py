"""The declared dependencies are what the package imports: none missing (serve's Starlette
came only through an unused dependency once), none unused (rdflib-endpoint pulled FastAPI
and pydantic into every install)."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).parents[1]


def _imported() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "src" / "xmgraph").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"files\(\"(\w+)\"\)", text))  # a package's data files
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names


def _declared(group: list[str]) -> set[str]:
    out = set()
    for spec in group:
        if "[" in spec:  # dask[distributed] brings distributed
            out |= {e.strip() for e in spec.split("[")[1].split("]")[0].split(",")}
        name = spec.split(";")[0].split("[")[0]
        for sep in "<>=!~ ":
            name = name.split(sep)[0]
        out.add(name.strip().lower().replace("_", "-"))
    return out


def test_every_dependency_is_imported_and_every_import_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = _declared(project["dependencies"])
    extras = set().union(*(_declared(g) for g in project["optional-dependencies"].values()))
    dists = packages_distributions()
    used: set[str] = set()
    for module in _imported() - set(sys.stdlib_module_names) - {"xmgraph"}:
        names = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
        assert names & (declared | extras), f"{module} is imported but not declared"
        used |= names
    assert declared - used == set(), "declared but never imported"
