# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Read files the public report shows: regular files only, never more than a bound.

A FIFO, a device or a socket named where a file is expected would block a read
(and with it a request) forever; a huge file would stall one. Neither is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Far above any real requirements.txt or git file, far below a stall.
MAX_BYTES = 4 * 1024 * 1024


class UnreadableFile(OSError):
    """A file the report does not read; its message says why in a few words."""


def read_regular_bytes(path: Path | str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Raises ``UnreadableFile`` for anything else, ``OSError`` when it cannot be
    opened. Nothing else is opened: a FIFO would block ``open`` itself, a device
    may act on being opened.
    """
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise UnreadableFile("not a regular file")
    # O_NONBLOCK: the file may have been swapped for a FIFO since the check above.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise UnreadableFile("not a regular file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(descriptor, min(1024 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    if size > limit:
        raise UnreadableFile(f"larger than {limit // 1024} KiB")
    return b"".join(chunks)


def read_regular_text(path: Path | str, limit: int = MAX_BYTES) -> str:
    """``read_regular_bytes`` decoded as UTF-8 (``UnicodeDecodeError`` when it is not)."""
    return read_regular_bytes(path, limit).decode("utf-8")


def why_unreadable(error: Exception) -> str:
    """A few words for the report: the reason for ``UnreadableFile``, else the error's class."""
    if isinstance(error, UnreadableFile):
        return str(error)
    return error.__class__.__name__
