"""The code stays readable: no function over 80 lines in the package, and in the extraction
package none above cyclomatic complexity 15 (radon)."""

from __future__ import annotations

import ast
from pathlib import Path

from radon.complexity import cc_visit

PACKAGE = Path(__file__).parents[1] / "src" / "xmgraph" / "extract"
FILES = sorted(PACKAGE.glob("*.py"))
ALL_FILES = sorted((Path(__file__).parents[1] / "src" / "xmgraph").rglob("*.py"))


def test_no_long_function():
    long = []
    assert len(ALL_FILES) > len(FILES)
    for path in ALL_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > 80:
                    long.append(f"{path.name}:{node.name} {n}")
    assert not long


def test_no_complex_function():
    complex_ = [
        f"{path.name}:{block.name} {block.complexity}"
        for path in FILES
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if block.complexity > 15
    ]
    assert FILES
    assert not complex_
