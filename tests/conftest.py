"""Test-wide settings: CLI runs in the tests keep their result cache out of the repo."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if "DHRPLANS_CACHE" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="dhrplans-test-cache-")
    os.environ["DHRPLANS_CACHE"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)
