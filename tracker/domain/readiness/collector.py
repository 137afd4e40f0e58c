"""Building a forecast without the cycle collector running through it.

A forecast at 50,000 milestones allocates a few hundred thousand small objects: the rows, the
tallies, the report. None of them refers back to another, so reference counting frees every
one of them; but while they are being built the cycle collector runs hundreds of times, and
promotes whatever the request holds to its oldest generation, whose collection then walks
the whole heap (a tenth of a second, every other readiness page). Pausing it for the build,
and only then, keeps that cost off the page; it runs again as soon as the build ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause the cycle collector inside the block; leave it as it was afterwards (a caller
    that had it paused already keeps it paused, so nesting and threads are safe)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
