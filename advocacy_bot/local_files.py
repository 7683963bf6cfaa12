"""The bot's files on this machine (beside the run lock): written whole, never half."""

from __future__ import annotations

import json
import os
from pathlib import Path


def write_json(path: Path, data: object, indent: int | None = None) -> None:
    """``data`` as JSON in ``path``, written to a file beside it and then renamed over it: a crash
    leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".new")
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=indent)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
