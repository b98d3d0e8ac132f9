"""The floor: the least work any Python generator must do for a corpus, to compare Exhibit with.

    python bench/floor.py CONTENT OUT [--workers N]

For every `CONTENT/<collection>/<stem>.md` (YAML front matter, then Markdown) it
parses the front matter with PyYAML's C loader, converts the story with
Python-Markdown and the extensions Exhibit enables (exhibit/model/markup.py:
extra, sane_lists, nl2br), renders one small Jinja template and writes
`OUT/<collection>/<stem>.html`, on all cores in chunks. No checks, no listings, no
sanitising, no assets: whatever a real generator does beyond this is what its
time above the floor buys. bench/peers.py runs it as a subprocess, so interpreter
start and imports count, as they do for Exhibit.
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jinja2
import markdown
import yaml
from markupsafe import Markup

EXTENSIONS = ["extra", "sane_lists", "nl2br"]
TEMPLATE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>{% if quote %}<p>{{ quote }}</p>{% endif %}{{ body }}</main></body></html>
"""


def render_chunk(job: tuple[Path, list[Path]]) -> int:
    """Render one chunk of files into `out`; one Markdown instance and one template per chunk."""
    out, files = job
    md = markdown.Markdown(extensions=EXTENSIONS)
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    for path in files:
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.load(front, Loader=yaml.CSafeLoader) or {}
        html = md.reset().convert(body)
        page = template.render(title=meta.get("name") or meta.get("title"), quote=meta.get("quote"),
                               body=Markup(html))
        (out / path.parent.name / f"{path.stem}.html").write_text(page, encoding="utf-8")
    return len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if not getattr(yaml, "__with_libyaml__", False):
        print("floor: PyYAML was built without libyaml; yaml.CSafeLoader is missing", file=sys.stderr)
        return 1
    files = sorted(args.content.glob("*/*.md"))
    for folder in {path.parent.name for path in files}:
        (args.out / folder).mkdir(parents=True, exist_ok=True)
    # A few chunks per worker: big enough that the per-chunk setup is noise, small enough to balance.
    size = max(1, -(-len(files) // (args.workers * 4)))
    jobs = [(args.out, files[start:start + size]) for start in range(0, len(files), size)]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        written = sum(pool.map(render_chunk, jobs))
    print(f"floor: {written} pages with {args.workers} workers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
