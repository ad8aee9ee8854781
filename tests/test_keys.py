"""Every library that shapes a build's output is declared in incremental/keys.py, so no cache
key and no no-op record can miss an upgrade of it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT, write_bulletin

from briefgen.incremental import keys

# Run in a fresh interpreter: the build with one process (-j 1) imports, in this process,
# every library the pipeline uses for items, pages, charts, PDFs and the search index.
PROBE = """
import importlib.metadata, json, sys
from pathlib import Path
from briefgen.commands.build import BuildOptions, build
from briefgen.config.settings import load_config
root = Path(sys.argv[1])
result = build(load_config(root), BuildOptions(out=root / "output", jobs=1))
assert result.pdf_pages and result.html_files, result
found = importlib.metadata.packages_distributions()
used = set()
for name in list(sys.modules):
    top = name.split(".")[0]
    if top not in sys.stdlib_module_names and top != "briefgen":
        used.update(found.get(top, ()))
print(json.dumps(sorted(used)))
"""


@pytest.mark.slow  # builds the sample's PDFs in a fresh interpreter
def test_every_library_a_build_loads_is_declared(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(PROJECT / "content", root / "content")  # the sample: tables, images, charts
    shutil.copy(PROJECT / "briefgen.yaml", root)

    probe = subprocess.run([sys.executable, "-c", PROBE, str(root)], capture_output=True, text=True, check=False)

    assert probe.returncode == 0, probe.stderr
    used = set(json.loads(probe.stdout.splitlines()[-1]))
    declared = {library.distribution for library in keys.LIBRARIES} | set(keys.UNAFFECTING)
    # Pagefind indexes in a process of its own (python -m pagefind): its versions are declared all
    # the same (test_each_product_key_names_the_versions_of_its_libraries).
    assert {"Markdown", "nh3", "PyYAML", "weasyprint", "fonttools", "matplotlib"} <= used
    assert sorted(used - declared) == []


def test_each_product_key_names_the_versions_of_its_libraries():
    assert keys.library_versions(keys.ITEMS).split()[:2] == [
        f"Markdown={keys.version('Markdown')}", f"nh3={keys.version('nh3')}"]
    pdf = keys.library_versions(keys.PDF)
    for distribution in ("weasyprint", "fonttools", "pydyf", "matplotlib"):
        assert f"{distribution}={keys.version(distribution)}" in pdf.split()
    assert keys.library_versions(keys.SEARCH).split() == [
        f"pagefind={keys.version('pagefind')}", f"pagefind_bin_extended={keys.version('pagefind_bin_extended')}"]
    assert "libpango-1.0.so.0=1." in keys.native_versions()
    assert "libharfbuzz.so.0=" in keys.native_versions() and not keys.native_versions().endswith("=")


def test_the_no_op_record_changes_when_a_declared_library_changes(tmp_path, monkeypatch):
    from briefgen.incremental import uptodate

    root = write_bulletin(tmp_path / "repo", {})
    before = uptodate.inputs_digest(root, ("x",), pdf=True).digest
    assert uptodate.inputs_digest(root, ("x",), pdf=True).digest == before
    real = keys.version
    monkeypatch.setattr(keys, "version", lambda name: "99.0" if name == "pagefind_bin_extended" else real(name))
    assert uptodate.inputs_digest(root, ("x",), pdf=True).digest != before


def test_the_code_fingerprint_covers_every_file_of_the_package():
    package = Path(keys.package_folder())
    assert (package / "commands" / "build.py").is_file() and (package / "skeleton" / "briefgen.yaml").is_file()
    assert keys.code_fingerprint() == keys.code_fingerprint.__wrapped__()
