"""The layout is the map: who may import Whoosh and spaCy, module sizes, old index formats."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.errors import IndexFormatError
from indexer.index import store
from indexer.search.service import SearchService

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("indexer", "search_web")
WHOOSH_ALLOWED = ("indexer/text/", "indexer/index/", "indexer/search/")
SPACY_ALLOWED = ("indexer/entities/",)
MAX_LINES = 400


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def imported_roots(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports (also inside functions)."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def offenders(library: str, allowed: tuple[str, ...]) -> list[str]:
    found = []
    for path in modules():
        relative = path.relative_to(ROOT).as_posix()
        if not relative.startswith(allowed) and library in imported_roots(path):
            found.append(relative)
    return found


def test_only_text_index_and_search_import_whoosh():
    assert offenders("whoosh", WHOOSH_ALLOWED) == []


def test_only_entities_import_spacy():
    assert offenders("spacy", SPACY_ALLOWED) == []


def test_only_the_cluster_module_imports_dask():
    """The product works without the ``cluster`` extra: Dask is imported for ``--cluster`` only."""
    assert offenders("distributed", ("indexer/index/cluster.py",)) == []
    assert offenders("dask", ()) == []
    done = subprocess.run([sys.executable, "-c", "import sys, indexer.cli, indexer.index.writer, search_web; "
                                                 "print('distributed' in sys.modules)"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.strip() == "False", done.stderr


def test_the_checker_sees_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from whoosh import query\n", encoding="utf-8")
    assert "whoosh" in imported_roots(sample)


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_modules_stay_under_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_no_grab_bag_modules():
    assert not [p for p in modules() if p.stem in {"utils", "helpers", "misc", "common"}]


def old_format_copy(index_dir: Path, tmp_path: Path, build_info: dict | None) -> Path:
    copy = tmp_path / "old-index"
    shutil.copytree(index_dir, copy)
    generation = store.current_generation(copy)
    info_path = generation / store.BUILD_INFO
    if build_info is None:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        info.pop("format")
    else:
        info = build_info
    info_path.write_text(json.dumps(info), encoding="utf-8")
    return copy


def test_build_info_records_the_index_format(index_dir):
    info = store.read_build_info(store.current_generation(index_dir))
    assert info["format"] == store.INDEX_FORMAT


@pytest.mark.parametrize("build_info", [None, {"format": 1}, {"format": 99}])
def test_an_index_of_another_format_says_rebuild_with_the_command(index_dir, tmp_path, build_info):
    old = old_format_copy(index_dir, tmp_path, build_info)
    with SearchService(old) as service, pytest.raises(IndexFormatError) as caught:
        service.stats()
    assert "Format" in caught.value.message and "\n" not in caught.value.message
    assert f"search-index build seeds/ --index {old}" in caught.value.hint


def test_the_cli_prints_one_line_and_the_rebuild_command(index_dir, tmp_path):
    from click.testing import CliRunner

    from indexer.cli import search_command

    old = old_format_copy(index_dir, tmp_path, {"format": 1})
    result = CliRunner().invoke(search_command, ["Nordkorea", "--index", str(old)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("Fehler: ") and lines[1].startswith("Hinweis: Neu bauen: search-index build")
