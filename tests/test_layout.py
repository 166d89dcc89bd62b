"""House rules that keep the code base navigable: small modules, no site names in code,
click only in cli/, an exact public API."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import yaml
from helpers import ROOT

import newsharvest

SRC = ROOT / "src" / "newsharvest"
MODULES = sorted(SRC.rglob("*.py"))


def test_every_module_is_at_most_400_lines():
    long = {str(p.relative_to(SRC)): n for p in MODULES
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long


def test_no_source_host_is_named_in_the_engine():
    hosts = set()
    for path in (ROOT / "sources.yaml", ROOT / "fixtures" / "sources.yaml"):
        if path.exists():
            for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
                for key in ("feed", "sitemap", "listing"):
                    if key in entry:
                        host = urlsplit(entry[key]).hostname or ""
                        hosts.add(".".join(host.split(".")[-2:]))
    offenders = []
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {h}" for h in hosts if re.search(re.escape(h), text)]
    assert not offenders


def test_click_is_imported_only_in_cli():
    users = [p for p in MODULES if "cli" not in p.parts
             and re.search(r"^\s*(import click|from click)", p.read_text(encoding="utf-8"), re.M)]
    assert not users


def test_public_api_is_exactly_exported():
    assert set(newsharvest.__all__) == {
        "Article", "ConfigError", "ExtractionError", "FetchError", "HarvestReport",
        "LockHeldError", "NewsharvestError", "Source", "StoreError", "__version__",
        "extract_html", "harvest", "load_sources",
    }
    for name in newsharvest.__all__:
        assert hasattr(newsharvest, name)
