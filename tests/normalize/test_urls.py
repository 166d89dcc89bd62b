"""Canonical URLs: tracking parameters dropped, declared canonicals trusted on the same site."""

from __future__ import annotations

from newsharvest.normalize.urls import canonical_url, clean_url


def test_tracking_parameters_and_fragment_removed():
    url = "https://WWW.163.com/dy/article/K1.html?spm=a.b&utm_source=x&from=timeline&id=7#c"
    assert clean_url(url) == "https://www.163.com/dy/article/K1.html?id=7"


def test_declared_canonical_maps_mobile_host():
    got = canonical_url("https://m.163.com/dy/article/K1.html?spm=1",
                        "https://www.163.com/dy/article/K1.html")
    assert got == "https://www.163.com/dy/article/K1.html"


def test_relative_canonical_resolved_and_foreign_canonical_ignored():
    assert canonical_url("https://a.example.com/x/1.html", "/x/1.html") == \
        "https://a.example.com/x/1.html"
    assert canonical_url("https://a.example.com/x/1.html", "https://evil.test/1") == \
        "https://a.example.com/x/1.html"
