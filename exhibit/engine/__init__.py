"""The build engine: one run for `build`, `check` and `serve`, incremental, parallel and cached.

`stages.py` holds the stages in the order data flows; `run.py` drives them,
`keys.py` and `deps.py` decide which pages to render again, `render.py` renders
them in worker processes, `cache.py` keeps the results in `.exhibit-cache/engine/`
and `lock.py` keeps two builders of one root from interleaving.
"""

from exhibit.engine.run import BuildResult, Change, Engine, EngineOptions, build

__all__ = ["BuildResult", "Change", "Engine", "EngineOptions", "build"]
