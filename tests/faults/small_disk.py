"""A disk of a few megabytes, made for a test, to fill up.

A tmpfs is mounted on a folder of the test's: the tracker's home goes
there, and a filler file takes every byte left, as when a server's disk
fills with logs or backups. Deleting the filler frees the space again.
Mounting needs root (CI runs as root): elsewhere the test is skipped,
saying why.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

# Big enough for an empty tracker's files and a few requests, small
# enough to fill in a blink.
MEGABYTES = 8
_CHUNK = b"\0" * 65536


@dataclass(frozen=True)
class SmallDisk:
    """A mounted filesystem of its own, and the file that fills it."""

    root: Path

    @property
    def filler(self) -> Path:
        """The file that takes the space left."""
        return self.root / "filler"

    def fill(self) -> int:
        """Write the filler until the disk refuses a byte more; bytes written."""
        written = 0
        with self.filler.open("ab", buffering=0) as filler:
            try:
                while True:
                    written += filler.write(_CHUNK) or 0
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
        return written

    def free(self) -> None:
        """Delete the filler: the space is there again."""
        self.filler.unlink()

    def space_left(self) -> int:
        """Bytes an unprivileged writer could still write."""
        found = os.statvfs(self.root)
        return found.f_bavail * found.f_frsize


@contextmanager
def small_disk(folder: Path, megabytes: int = MEGABYTES) -> Iterator[SmallDisk]:
    """A tmpfs of `megabytes` mounted on `folder`, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("making a small filesystem needs root (mount)")
    folder.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0700", "tmpfs",
         str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"mounting a small filesystem is not permitted: {mounted.stderr}")
    try:
        yield SmallDisk(folder)
    finally:
        # Lazily: a file a failed test left open must not keep it mounted.
        subprocess.run(["umount", "--lazy", str(folder)], check=True)
