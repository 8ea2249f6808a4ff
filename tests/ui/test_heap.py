"""The server's collector settings: set once, and the heap frozen again only after new imports."""

from __future__ import annotations

import gc
import sys
import types

from components.ui import heap


def test_the_heap_is_collected_and_frozen_when_modules_were_imported_and_not_otherwise(monkeypatch):
    before = gc.get_threshold()
    collected: list[int] = []
    monkeypatch.setattr(heap, "_modules_frozen", 0)
    monkeypatch.setattr(heap.gc, "collect", lambda: collected.append(len(sys.modules)))
    try:
        heap.settle_heap()
        assert gc.get_threshold() == heap.THRESHOLDS
        assert len(collected) == 1 and gc.get_freeze_count() > 0

        heap.settle_heap()  # nothing imported since: no collection, no freeze
        assert len(collected) == 1

        monkeypatch.setitem(sys.modules, "a_page_first_visited", types.ModuleType("a_page_first_visited"))
        heap.settle_heap()
        assert len(collected) == 2 and collected[1] == collected[0] + 1
    finally:
        gc.set_threshold(*before)
