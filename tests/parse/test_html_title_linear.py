"""The page title reader reads the same title as the regex it replaced, in linear time.

`html_title` used `<title[^>]*>(.*?)</title\\s*>` (case-insensitive, dot matches newlines): the first "<title" that
has a `>` after it and a closing tag after that. The regex rescanned the rest of the body from every "<title" with
no `>` after it (quadratic); the reader finds the three positions once each. Tag soups built from the pieces
below (random, seeded) get the same answer from both.
"""

from __future__ import annotations

import html
import random
import re

from camscan.parse.http import _SPACE, TITLE_LIMIT, html_title

_OLD = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
PIECES = [
    "<title",
    "<TITLE>",
    ">",
    "</title",
    "</title>",
    "</TITLE >",
    "<",
    " ",
    "\n",
    "a",
    "&amp;",
    "x",
    "<head>",
    "</title\n>",
]


def _old(body: str) -> str | None:
    m = _OLD.search(body)
    if not m:
        return None
    return _SPACE.sub(" ", html.unescape(m.group(1))).strip()[:TITLE_LIMIT] or None


def test_the_same_title_as_the_old_regex() -> None:
    rnd = random.Random(11)
    for _ in range(20000):
        body = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 14)))
        assert html_title(body) == _old(body), body


def test_ordinary_pages() -> None:
    assert (
        html_title("<html><head><title>AXIS M1011 Network Camera</title></head>")
        == "AXIS M1011 Network Camera"
    )
    assert html_title('<TITLE lang="en">\n  Web &amp; Service\n</TITLE >') == "Web & Service"
    assert html_title("<title>no end") is None
    assert html_title("<title no end") is None
    assert html_title("<title></title>") is None
