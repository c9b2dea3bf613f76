"""A cache of each file's reading, so a re-run over unchanged inputs parses nothing.

An entry is keyed by the input's sha256, its doc_id, the options that change the output
(the read limits, the password's digest) and the pipeline itself (its version and a digest
of its source files, so a changed rule never serves an old reading). It lives in
$PIPELINE_CACHE_DIR, else $XDG_CACHE_HOME/pipeline, else ~/.cache/pipeline; deleting the
folder is always safe.

Entries are pickles, so they are signed: each starts with an HMAC-SHA256 of its body under
a key kept in the folder (mode 0600). An entry that is corrupt, cut short, written by
another key or another pipeline is ignored and written anew, never trusted. Writes go to a
temporary file and are renamed into place, so a crash or a concurrent run leaves no half
entry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import secrets
import tempfile
from dataclasses import asdict
from functools import cache
from pathlib import Path

from pipeline import __version__
from pipeline.read.options import ReadOptions

MAGIC = b"pipeline-cache-1\n"
KEY_FILE = "key"


def default_dir() -> Path:
    if os.environ.get("PIPELINE_CACHE_DIR"):
        return Path(os.environ["PIPELINE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pipeline"


@cache
def code_digest() -> str:
    """The pipeline's version and a digest of its source files."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def entry_key(sha256: str, doc_id: str, options: ReadOptions) -> str:
    settings = asdict(options)
    password = settings.pop("password")
    settings["password"] = hashlib.sha256(password.encode()).hexdigest() if password is not None else None
    text = json.dumps([sha256, doc_id, settings, code_digest()], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class Cache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._secret: bytes | None = None

    def _key(self) -> bytes:
        if self._secret is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / KEY_FILE
            try:
                secret = path.read_bytes()
            except FileNotFoundError:
                secret = b""
            if len(secret) != 32:
                secret = secrets.token_bytes(32)
                self._write(path, secret)
            self._secret = secret
        return self._secret

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> object | None:
        """The value stored under `key`, or None when there is none to trust."""
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        head, sign, body = data[: len(MAGIC)], data[len(MAGIC) : len(MAGIC) + 32], data[len(MAGIC) + 32 :]
        if head != MAGIC or not hmac.compare_digest(sign, hmac.new(self._key(), body, "sha256").digest()):
            return None
        try:
            return pickle.loads(body)
        except Exception:  # signed but unreadable (another Python): not trusted, rewritten
            return None

    def put(self, key: str, value: object) -> None:
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        sign = hmac.new(self._key(), body, "sha256").digest()
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write(path, MAGIC + sign + body)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
