"""Every file and folder the app writes goes through here.

Use these, never ``open(path, "w")``, ``Path.write_text`` or ``mkdir``:

    from relworkbook.files import write_atomic, atomic_file, make_private_dir

    write_atomic(path, "text or bytes")          # the whole file at once
    with atomic_file(path) as handle:            # or piece by piece (binary handle)
        handle.write(b"...")
    make_private_dir(folder)                     # the folder and any missing parents, 0700

A file is written to a temporary file in the same folder, flushed to the disk
(``fsync``), and only then renamed over the target: a full disk, a kill or a
power cut part-way leaves the previous file whole (or no file), never half of
one. Files are owner-only (0600) and folders owner-only (0700) whatever the
umask. A failure raises ``OSError`` (the caller turns it into one line) and
leaves no temporary file behind.

Only ``os`` is imported, so the plain start can use this without cost.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

FILE_MODE = 0o600
DIR_MODE = 0o700
TMP_SUFFIX = ".tmp"


def make_private_dir(path: Path | str) -> Path:
    """Create ``path`` and every missing parent, each owner-only (0700).

    Folders that already exist are left as they are; only those made here are
    set to 0700 (``Path.mkdir(parents=True)`` would leave parents to the umask).
    """
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made meanwhile by someone else: not ours to change
        os.chmod(folder, DIR_MODE)
    if not path.is_dir():
        raise NotADirectoryError(20, "Not a directory", str(path))
    return path


def _target(path: Path | str) -> Path:
    """The file to replace: a symlink's own target (the link stays); never a
    folder, device or FIFO (renaming over ``/dev/null`` would replace it)."""
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return path
    import stat

    if stat.S_ISDIR(mode):
        raise IsADirectoryError(21, "Is a folder", str(path))
    if not stat.S_ISREG(mode):
        raise OSError(22, "Not a regular file", str(path))
    return path


def temp_beside(path: Path) -> tuple[int, Path]:
    """(fd, path) of a new owner-only file in the target's folder, never an existing
    one; its name (``.NAME.PID-N.tmp``) is hidden and matches no backup's name."""
    for attempt in range(1000):
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{attempt}{TMP_SUFFIX}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            continue
        return fd, tmp
    raise FileExistsError(17, "No free temporary name", str(path))


def fsync_path(path: Path | str) -> None:
    """Flush a file written by someone else (SQLite) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Make the rename itself durable (not possible on every platform)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_file(path: Path | str) -> Iterator[BinaryIO]:
    """A binary handle whose contents replace ``path`` only if the block ends well."""
    path = _target(path)
    fd, tmp = temp_beside(path)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb", closefd=True) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    sync_folder(path.parent)


def write_atomic(path: Path | str, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` whole, or leave ``path`` as it was."""
    path = _target(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = temp_beside(path)
    try:
        os.fchmod(fd, FILE_MODE)
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    sync_folder(path.parent)
    return path
