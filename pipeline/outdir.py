"""Where a dataset goes: which folder `--out` may replace, one writer at a time, and an
atomic swap.

`--out` is replaced as a whole, so it may only be a folder that holds nothing a user could
lose: absent, empty, or a dataset this tool wrote, unchanged since. Everything else is
refused before any input is read. The new dataset is written into a temporary folder
beside `--out` and swapped in with one rename, so `--out` is at every moment either the old
or the new complete dataset. A lock beside `--out` lets one run write at a time; holding
it is also what makes a temporary folder left beside `--out` provably orphaned.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import regex as re

from pipeline.files import read_regular
from pipeline.validate.manifest import MANIFEST, changed_files, is_ours
from pipeline.validate.schema import RESOURCES

OUR_FILES = frozenset({*(f"{name}.csv" for name in RESOURCES), "datapackage.json", MANIFEST})
PARTIAL_MARK = ".pipeline-partial"  # inside a temporary folder until it holds a whole dataset
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class OutRefused(Exception):
    """`--out` names a folder this tool must not replace (or cannot have now)."""


# ------------------------------------------------------------------ what may be replaced
def check_target(raw: str, inputs: Iterable[Path]) -> Path:
    """The folder `raw` names, resolved (a symlink judged by its target), or OutRefused
    when writing there could destroy something: the current folder or a parent of it, an
    input or a folder holding one, or a folder that is not a dataset of this tool."""
    if not raw.strip():
        raise OutRefused("--out is empty (an unset shell variable?); name a folder for the dataset")
    target = Path(os.path.abspath(raw)).resolve()
    cwd = Path.cwd().resolve()
    if target == cwd or target in cwd.parents:
        raise OutRefused(f"{raw}: is the current folder or one of its parents; name a folder of its own")
    for item in inputs:
        where = item.resolve()
        if where == target:
            raise OutRefused(f"{raw}: is an input; name another folder for the dataset")
        if target in where.parents:
            raise OutRefused(f"{raw}: holds the input {item}; name another folder for the dataset")
    if target.exists() and not target.is_dir():
        raise OutRefused(f"{raw}: exists and is not a folder")
    reason = foreign(target) if target.is_dir() else None
    if reason:
        raise OutRefused(f"{raw}: {reason}; not replacing it (name a new or empty folder, or move this one away)")
    return target


def foreign(folder: Path) -> str | None:
    """Why `folder` is not replaceable (None when it is empty or an unchanged dataset
    this tool wrote)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        return f"cannot be listed ({exc.strerror})"
    if not entries:
        return None
    extra = [e.name for e in entries if e.name not in OUR_FILES or not e.is_file(follow_symlinks=False)]
    if extra:
        more = f" and {len(extra) - 3} more" if len(extra) > 3 else ""
        return f"holds files this tool does not write ({', '.join(extra[:3])}{more})"
    try:
        manifest = json.loads(read_regular(folder / MANIFEST, 64 * 1024 * 1024))
    except (OSError, ValueError):
        manifest = None
    if not is_ours(manifest):
        return f"holds no {MANIFEST} of this tool, so it is not a dataset this tool wrote"
    changed = changed_files(folder, manifest)
    if changed:
        return f"is a dataset of this tool, but {changed[0]}"
    return None


# ------------------------------------------------------------------ one writer at a time
@contextmanager
def writer_lock(target: Path, wait: bool, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold `.NAME.lock` beside `target` (flock): a second run waits (`on_wait` is called
    once) or, with `wait` False, is refused at once. The empty lock file is removed on
    release; a run that opened it before the removal notices and takes the new one."""
    path = target.parent / f".{target.name}.lock"
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            mode = os.fstat(fd)
            if not stat.S_ISREG(mode.st_mode) or mode.st_size:
                raise OutRefused(f"{path}: exists and is not this tool's lock file; not touching it")
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    raise OutRefused(f"{target}: another run is writing it (--no-wait)") from None
                on_wait()
                fcntl.flock(fd, fcntl.LOCK_EX)
            if _same_file(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        yield
    finally:
        if _same_file(fd, path) and os.fstat(fd).st_size == 0:
            os.unlink(path)
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


# ------------------------------------------------------------------ temporary folders
_MKDTEMP_SUFFIX_RE = re.compile(r"[a-z0-9_]{8}")  # tempfile's random names


def _temporaries(target: Path) -> list[Path]:
    prefix = f".{target.name}.tmp-"
    try:
        return sorted(p for p in target.parent.iterdir() if p.name.startswith(prefix))
    except OSError:
        return []


def remove_leftovers(target: Path) -> None:
    """Temporary folders that a killed run left beside `target`; call with the lock held,
    so none has a live owner. Only folders this tool made are touched: one marked partial,
    a whole unchanged dataset (the previous one, swapped out), or an empty one with the
    exact name mkdtemp gives (a run killed before it marked its folder; removing an empty
    folder loses nothing). A user's folder that happens to have such a name stays."""
    for path in _temporaries(target):
        if path.is_symlink() or not path.is_dir():
            continue
        try:
            with os.scandir(path) as entries:
                empty = next(entries, None) is None
        except OSError:
            continue
        if empty and _MKDTEMP_SUFFIX_RE.fullmatch(path.name[len(f".{target.name}.tmp-") :]):
            with suppress(OSError):
                os.rmdir(path)  # fails, harmlessly, if anything was put in it meanwhile
        elif (path / PARTIAL_MARK).is_file() or (not empty and foreign(path) is None):
            _remove_tree(path)


def _remove_tree(path: Path) -> None:
    """Remove a flat folder this tool made, even one left read-only."""
    with suppress(OSError):
        os.chmod(path, stat.S_IRWXU)
    shutil.rmtree(path, ignore_errors=True)


def scratch(target: Path) -> Path:
    """A temporary folder beside `target` (on its disk), marked partial, so that what a run
    killed midway leaves there is removed by the next (remove_leftovers)."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    (tmp / PARTIAL_MARK).write_bytes(b"")
    return tmp


# ------------------------------------------------------------------ the atomic swap
def publish(files: dict[str, bytes], target: Path) -> None:
    """Write `files` into a fresh folder beside `target` and swap it in; on any error the
    temporary folder is removed and `target` is as it was."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        (tmp / PARTIAL_MARK).write_bytes(b"")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp's 0700 is for the temporary name, not the dataset
        for name, data in files.items():
            with (tmp / name).open("wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        os.unlink(tmp / PARTIAL_MARK)
        _fsync_dir(tmp)
        if not target.exists():
            os.rename(tmp, target)
        elif _exchange(tmp, target):
            _remove_tree(tmp)  # it now holds the previous dataset
        else:  # no atomic exchange here: two renames, the old dataset kept until the new one is in
            old = tmp.with_name(tmp.name + "-old")
            os.rename(target, old)
            os.rename(tmp, target)
            _remove_tree(old)
        _fsync_dir(target.parent)
    except BaseException:
        _remove_tree(tmp)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step (Linux renameat2 RENAME_EXCHANGE), so that
    `b` is at every moment either the old or the new dataset. False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
