"""The server process's garbage collector, set for a long-lived process that holds large shared caches.

A full (generation 2) collection walks every object Python tracks: the imported libraries (Streamlit,
Plotly, pandas), the plan and the shared figure cache as much as anything a visitor made. Under 100
protocol sessions on two processes each process ran one about every 9 s, taking 200–320 ms and stopping
every session it served, and its collections together took 9 s of its 140 s run (`docs/performance.md`).
"""

from __future__ import annotations

import gc
import sys

# A young generation of 20,000 objects instead of 700: fewer collections and far fewer full ones; a young
# collection costs about the same per object either way (tens of ms at this size).
THRESHOLDS = (20_000, 20, 100)
_modules_frozen = 0  # how many modules were imported when the heap was last frozen


def settle_heap() -> None:
    """After a script run: when modules were imported since the last call (a page's first visit, nothing
    later), collect and freeze what exists, so that later full collections skip the libraries and caches
    that live as long as the process; and set the thresholds the first time.

    Collected first, so no garbage is frozen; frozen objects are still freed when nothing refers to them."""
    global _modules_frozen
    if len(sys.modules) <= _modules_frozen:
        return
    if not _modules_frozen:
        gc.set_threshold(*THRESHOLDS)
    gc.collect()
    gc.freeze()
    _modules_frozen = len(sys.modules)
