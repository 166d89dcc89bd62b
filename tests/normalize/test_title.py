"""Headline choice and site-suffix stripping learned from the page."""

from __future__ import annotations

import pytest

from newsharvest.normalize.title import choose_title, strip_site_suffix


@pytest.mark.parametrize(("title", "sites", "expected"), [
    ("狂砸算力基建,OpenAI大动作!_网易订阅", ["网易"], "狂砸算力基建,OpenAI大动作!"),
    ("央行宣布降准0.5个百分点 - 新浪财经", ["新浪财经"], "央行宣布降准0.5个百分点"),
    ("Oracle shares fall after xAI ends talks | Reuters", ["Reuters"],
     "Oracle shares fall after xAI ends talks"),
    ("台积电公布第三季度财报_凤凰网", ["凤凰网"], "台积电公布第三季度财报"),
    ("台积电公布第三季度财报_财经频道_凤凰网", ["凤凰网"], "台积电公布第三季度财报"),
    ("Markets wobble as rates rise - BBC News", ["BBC News"], "Markets wobble as rates rise"),
    ("No separator here", ["Site"], "No separator here"),
])
def test_strip_site_suffix(title, sites, expected):
    assert strip_site_suffix(title, sites) == expected


def test_h1_agreeing_with_title_tag_wins():
    candidates = [("og", "狂砸算力基建,OpenAI大动作!_网易订阅"), ("h1", "狂砸算力基建,OpenAI大动作!"),
                  ("title", "狂砸算力基建,OpenAI大动作!_网易订阅")]
    assert choose_title(candidates, []) == "狂砸算力基建,OpenAI大动作!"


def test_site_name_learned_from_title_segments_not_in_og():
    candidates = [("og", "Markets wobble as rates rise"),
                  ("title", "Markets wobble as rates rise | Business | The Daily Example")]
    assert choose_title(candidates, []) == "Markets wobble as rates rise"


def test_logo_h1_does_not_win_over_og_title():
    candidates = [("h1", "Example News"), ("og", "Flood warnings issued for the north"),
                  ("title", "Flood warnings issued for the north - Example News")]
    assert choose_title(candidates, ["Example News"]) == "Flood warnings issued for the north"


def test_no_candidates():
    assert choose_title([], []) is None
