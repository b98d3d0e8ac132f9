"""readlog: which item attributes a stage reads (the quick path compares exactly those)."""

from __future__ import annotations

import threading

from exhibit.devserver.rebuild.readlog import item_reads
from exhibit.model.items import Item, Worker


def _worker() -> Worker:
    return Worker(collection="workers", slug="shao", source="content/workers/shao.md", line=1, name="邵志村",
                  extra={"motto": "干就干一流"})


def test_reads_in_the_block_are_noted_properties_and_extra_fields_included():
    worker = _worker()
    with item_reads() as reads:
        assert worker.name == "邵志村"
        assert worker.url_path == "workers/shao.html"
        assert worker.motto == "干就干一流"
    assert {"name", "url_path", "collection", "slug", "motto"} <= reads
    assert "quote" not in reads


def test_nothing_is_noted_after_the_block_and_items_read_as_before():
    worker = _worker()
    with item_reads() as reads:
        pass
    assert worker.name == "邵志村"
    assert reads == set()
    assert "__getattribute__" not in vars(Item)


def test_reads_from_other_threads_are_not_noted():
    worker = _worker()
    with item_reads() as reads:
        thread = threading.Thread(target=lambda: worker.quote)
        thread.start()
        thread.join()
    assert "quote" not in reads
