"""The build engine: one run for `build`, `check` and `serve`, incremental, parallel and cached.

`stages.py` holds the stages in the order data flows; `run.py` drives them (`result.py`: what a run is
asked and reports; `quick.py`: the preview's quick pass; `finish.py`: pages finished on every core),
`keys.py` and `deps.py` decide which pages to render again, `render.py` renders
them in worker processes, `cache.py` keeps the results in `.exhibit-cache/engine/`
and `lock.py` keeps two builders of one root from interleaving.
"""

from exhibit.engine.result import BuildResult, Change, EngineOptions
from exhibit.engine.run import Engine, build

__all__ = ["BuildResult", "Change", "Engine", "EngineOptions", "build"]
