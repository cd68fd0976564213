"""The Dask executor: a LocalCluster of two workers on loopback gives the same bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dhrplans.cli import app
from dhrplans.run import runner

distributed = pytest.importorskip("distributed")

TESTS = Path(__file__).parent
PLANS = [
    TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf",
    TESTS / "fixtures" / "pdf" / "kent-dhr-fx-homeoffice.pdf",
]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,
    ) as local:
        yield local


def test_dask_output_is_byte_identical_to_local(cluster, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for plan in PLANS:
        shutil.copy(plan, raw)
    (raw / "broken.pdf").write_bytes(b"not a pdf")
    paths = runner.find_inputs([raw])
    local = runner.run(paths, tmp_path / "local", jobs=2)
    remote = runner.run(
        paths, tmp_path / "dask", executor="dask", scheduler=cluster.scheduler_address
    )
    assert remote.line() == local.line()
    assert remote.failures == 1
    for name in ("actions", "recommendations", "documents"):
        assert (tmp_path / "local" / f"{name}.parquet").read_bytes() == (
            tmp_path / "dask" / f"{name}.parquet"
        ).read_bytes()


def test_cli_dask_executor(cluster, tmp_path):
    out = tmp_path / "out"
    args = ["run", str(PLANS[0]), "--out", str(out), "--no-cache"]
    result = CliRunner().invoke(
        app, [*args, "--executor", "dask", "--scheduler", cluster.scheduler_address]
    )
    assert result.exit_code == 0, result.output
    assert (out / "actions.parquet").exists()


def test_cli_dask_needs_a_scheduler_and_a_reachable_one(tmp_path):
    args = ["run", str(PLANS[0]), "--out", str(tmp_path / "o"), "--no-cache"]
    assert CliRunner().invoke(app, [*args, "--executor", "dask"]).exit_code == 2
    unreachable = [*args, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"]
    result = CliRunner().invoke(app, unreachable)
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.output
