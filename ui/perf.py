"""Process-wide speed settings that pages apply once (see README, "Speed").

``[runner] postScriptGC = false`` in .streamlit/config.toml removes Streamlit's full
``gc.collect()`` after every script run (~95 ms holding the GIL once torch is loaded).
Python's own generational GC still runs, so reference cycles are still freed; but its
occasional full collections would walk every object torch created at import time. Freezing
those long-lived objects once (``gc.freeze``) right after torch is first imported takes
them out of every later collection.
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_import_time_objects() -> None:
    """Collect once, then move every surviving object to the permanent generation."""
    global _frozen
    if _frozen:
        return
    gc.collect()
    gc.freeze()
    _frozen = True
