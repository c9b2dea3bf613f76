"""Reading a file the user named, and nothing else: a FIFO would hang the run, a device
such as /dev/zero would read for ever (its size is 0, so a size check on the name passes).

The file is opened without blocking, judged by what was opened (not by its name, which can
change in between), and read no further than the limit.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


class NotRegularFile(ValueError):
    """The name leads to something that is not a regular file."""

    def __init__(self, kind: str):
        super().__init__(f"not a regular file but {kind}")


class FileTooLarge(ValueError):
    def __init__(self, size: int, limit: int):
        super().__init__(f"file of {size} bytes, more than {limit}")
        self.size = size
        self.limit = limit


def open_regular(path: Path) -> int:
    """A read-only descriptor of `path` (a symlink judged by its target); NotRegularFile
    for anything else. O_NONBLOCK makes opening a FIFO return at once instead of waiting."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotRegularFile(_KINDS.get(stat.S_IFMT(mode), "an unknown kind of file"))
    return fd


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, its size checked on the opened file; FileTooLarge when
    it is (or grows while read) past `limit` bytes. OSError for the usual reasons."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as f:
        size = os.fstat(fd).st_size
        if limit is not None and size > limit:
            raise FileTooLarge(size, limit)
        data = f.read() if limit is None else f.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise FileTooLarge(len(data), limit)
    return data


def write_new(target: Path, data: bytes) -> None:
    """Write a file the user named that must not exist yet: written beside it and linked
    into place, so an existing file (or one made meanwhile) is never overwritten, and a
    crash leaves no half-written file under its name. Its mode is a new file's (umask)."""
    if target.exists() or target.is_symlink():
        raise FileExistsError(f"{target}: exists; not overwriting it (name a new file)")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.link(tmp, target)  # fails, rather than replaces, if the name was taken meanwhile
    finally:
        os.unlink(tmp)
