"""The libyaml fast path reads YAML exactly as the pure-Python loader does: data, lines, raw text, problems."""

from __future__ import annotations

import pytest
import yaml

from exhibit.read import yamltext
from exhibit.read.yamltext import LinedDict, LinedList, load_yaml

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")

TEXTS = [
    "title: 1.10\ndate: 2024-13-01\nflag: yes\nempty: ~\n",
    "photos:\n  - a.jpg\n  - b.jpg\nteam:\n  leader: 邵志村\n  members: [张三, 李四]\n",
    "body: |\n  第一行\n  第二行\nsummary: >\n  折叠\n  文本\nafter: 1\n",
    "a: 1\nb: 2\na: 3\n",
    "base: &base {k: v}\nother:\n  <<: *base\n  z: 1\n",
    "title: 车间：一号\n",
    "title：安全生产\n",
    "title: a: b\n",
    "title: \"引号\" 之后\n",
    "title: 'it's'\n",
    "a:\tb\n",
    "a: b\n\tc: d\n",
    "a: [1, 2\n",
    "a: x\x07y\n",
    "a: x\ufeffy\n",
    "- a\n- b: c\n  d: e\n- [1, 2]\n",
    "",
    "just text\n",
]


def _shape(data: object) -> object:
    """The data with every line and raw text the loaders record, so two loads compare whole."""
    if isinstance(data, LinedDict):
        return ("dict", data.line, data.key_lines, data.value_lines, data.raw,
                {key: _shape(value) for key, value in data.items()})
    if isinstance(data, LinedList):
        return ("list", data.line, data.item_lines, data.raw, [_shape(value) for value in data])
    return (type(data).__name__, data)


@pytest.mark.parametrize("text", TEXTS)
def test_libyaml_and_pure_loader_agree(text, monkeypatch):
    fast_data, fast_problems = load_yaml(text, "content/workers/a.md", first_line=2)
    monkeypatch.setattr(yamltext, "_FastLoader", yamltext._Loader)
    pure_data, pure_problems = load_yaml(text, "content/workers/a.md", first_line=2)
    assert _shape(fast_data) == _shape(pure_data)
    assert fast_problems == pure_problems


def test_the_fast_path_is_taken_for_good_text(monkeypatch):
    def refuse(_text):
        raise AssertionError("the pure loader ran on text libyaml reads")

    monkeypatch.setattr(yamltext, "_Loader", refuse)
    data, problems = load_yaml("title: 标题\n", "a.yaml")
    assert data == {"title": "标题"} and problems == []
