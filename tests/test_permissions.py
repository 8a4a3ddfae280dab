"""Permission problems, seen by an unprivileged user (root reads everything, so the tests
drop to `nobody` with setpriv)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETPRIV = shutil.which("setpriv")
pytestmark = pytest.mark.slow


def as_nobody(*args, cwd):
    cmd = [SETPRIV, "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-m", "qa", *args]
    env = {**os.environ, "HOME": str(cwd), "QA_CACHE_DIR": str(cwd / "cache"), "PYTHONPATH": str(ROOT)}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


@pytest.fixture
def shared_tmp():
    if os.geteuid() != 0 or not SETPRIV:
        pytest.fail("these tests drop privileges and need root and setpriv (util-linux)")
    path = Path(tempfile.mkdtemp(prefix="qa-perm-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_unreadable_folder_is_skipped_with_its_reason(shared_tmp):
    root = shared_tmp / "corpus"
    shutil.copytree(ROOT / "tests/fixtures/transcripts", root)
    secret = root / "secret"
    secret.mkdir()
    (secret / "x.txt").write_text("hidden")
    secret.chmod(0o000)
    store = shared_tmp / "store"
    store.mkdir()
    os.chown(store, 65534, 65534)
    (shared_tmp / "cache").mkdir()
    os.chown(shared_tmp / "cache", 65534, 65534)
    out = as_nobody("ingest", str(root), "--store", str(store), "--json", cwd=shared_tmp)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["files_read"] == 4
    assert any(s["path"].endswith("secret") and "Permission denied" in s["reason"] for s in report["files_skipped"])


def test_store_without_write_permission_is_a_clear_error(shared_tmp):
    store = shared_tmp / "store"
    store.mkdir()  # owned by root, 755: nobody cannot write
    out = as_nobody("ingest", str(ROOT / "tests/fixtures/transcripts"), "--store", str(store), cwd=shared_tmp)
    assert out.returncode == 3
    assert out.stderr.strip().startswith("error:") and "not writable" in out.stderr
    assert "Traceback" not in out.stderr
