"""What the landing zone holds as of a time: the readable files of a feed, and the strays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from orchestration.ingest.feeds import Feed
from orchestration.ingest.layout import Placement, walk


@dataclass(frozen=True)
class LandedFile:
    """One file in the landing zone."""

    feed: Feed
    path: Path
    relpath: str
    arrived: date

    @property
    def arrived_at(self) -> datetime:
        return datetime(self.arrived.year, self.arrived.month, self.arrived.day, tzinfo=UTC)


def discover(
    landing: Path, feed: Feed, as_of: datetime, since: date | None = None
) -> list[LandedFile]:
    """Files of ``feed`` that can be read (``layout.place``) and arrived on or before
    ``as_of`` (and on or after the day ``since``, when given), in (arrival, name) order."""
    found: list[LandedFile] = []
    for path, placed in walk(landing, feed.folder):
        if placed.problem is not None or placed.feed_name != feed.name:
            continue
        arrived = placed.arrived
        assert arrived is not None  # a readable file sits in an arrived= folder
        landed = LandedFile(feed, path, placed.relpath, arrived)
        if landed.arrived_at > as_of or (since is not None and arrived < since):
            continue
        found.append(landed)
    return sorted(found, key=lambda f: (f.arrived, f.relpath))


def strays(landing: Path, as_of: datetime, since: date | None = None) -> list[Placement]:
    """Files under the landing zone that cannot be read, with why: outside the layout,
    hidden, of another extension, unreadable, or symlinks leading out. One whose folder
    gives an arrival date is seen from that date on (and within ``since``); one with no
    date is seen at every as-of time."""
    found = []
    for _, placed in walk(landing):
        if placed.problem is None:
            continue
        if placed.arrived is not None:
            arrived_at = datetime(*placed.arrived.timetuple()[:3], tzinfo=UTC)
            if arrived_at > as_of or (since is not None and placed.arrived < since):
                continue
        found.append(placed)
    return found
