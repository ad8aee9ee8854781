"""Bodies are sanitised when first shown, not as they are loaded: a build sanitises only what it
renders. Nothing unsanitised ever leaves content.loader, and a body that is sanitised late gives
what sanitising and localising it at once gives, with nothing to copy and nothing to report."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from briefgen.content.assets import localise
from briefgen.content.loader import Bodies, refers, sanitised
from briefgen.content.markdown import sanitise
from briefgen.model import Item

set_hypothesis_home_dir(tempfile.mkdtemp(prefix="briefgen-hypothesis-"))
PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=400, print_blob=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

PLANTED = '<p onclick="x()">正文</p><script>alert(1)</script><iframe src="https://evil"></iframe>'
PIECES = ["<", ">", "/", "a", "A", "i", "I", "m", "M", "g", "e", "image", "IMAGE", "img", "href", "src",
          "=", '"', "'", " ", "&", "lt", "LT", ";", "#", "60", "x3c", "p", "span", "title", "abbr", "svg",
          "math", "![]", "(", ")", "图.png", "../x", "file:", "http://h/", "正文", "\n", "<!--", "-->"]


def test_a_body_is_sanitised_when_first_asked_for() -> None:
    bodies = Bodies()
    bodies.pending("a", PLANTED)
    bodies.ready("b", sanitised("<p>已处理</p>"))
    assert list(bodies) == ["a", "b"] and len(bodies) == 2
    shown = bodies["a"]
    assert "<script" not in shown and "onclick" not in shown and "<iframe" not in shown
    assert shown == sanitise(PLANTED) and bodies["a"] is shown  # once
    assert bodies.get("c") is None


def _entry() -> Item:
    return Item(source="content/w46/a.md", slug="a", title="标题", unit="市教育局", date=dt.date(2026, 11, 10),
                topic="工作动态", body="正文", body_line=8)


@PROPERTY
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
@example('<IMAGE src="图.png">')
@example('<span title="&lt;img src=&quot;图.png&quot;&gt;">x</span>')
@example('<A HREF="../x">x</A>')
@example("<svg><a href='图.png'>x</a></svg>")
def test_a_body_that_refers_to_nothing_localises_to_itself(html: str) -> None:
    """What the build skips for a body that refers to nothing (refers() false) is what
    localise would do: keep the sanitised body as it is, copy nothing and report nothing."""
    if refers(html):
        return
    root = Path(tempfile.gettempdir()) / "briefgen-bodies"
    (root / "content/w46").mkdir(parents=True, exist_ok=True)
    (root / "content/w46/图.png").write_bytes(b"png")
    clean = sanitise(html)
    local = localise(clean, _entry(), root)
    assert (local.html, local.files, local.problems) == (clean, {}, [])


def test_the_starts_of_references_are_seen_in_any_case() -> None:
    for html in ("<a href=x>", "<A href=x>", "<img src=x>", "<IMG src=x>", "<Image src=x>",
                 'title="&lt;a"', 'title="&LT;a"', 'title="&#60;a"'):
        assert refers(html), html
    assert not refers("<p>市教育局开展教研活动，&amp;“双减”落实</p>")


def test_only_the_last_few_sanitised_bodies_are_kept() -> None:
    """A body asked for again after many others is sanitised again, to the same markup; one
    sanitised by the caller (even to nothing) is kept."""
    bodies = Bodies()
    bodies.ready("empty", sanitised(""))
    for number in range(Bodies.KEEP * 2):
        bodies.pending(f"b{number}", f"<p>第{number}篇{PLANTED}</p>")
    first = bodies["b0"]
    for number in range(1, Bodies.KEEP * 2):
        assert bodies[f"b{number}"] == sanitise(f"<p>第{number}篇{PLANTED}</p>")
    again = bodies["b0"]
    assert again == first and again is not first
    assert bodies["empty"] == "" and len(bodies) == Bodies.KEEP * 2 + 1
