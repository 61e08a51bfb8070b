"""One local Spark session for the whole test session (``local[2]``, quiet, no UI).

Every test here is skipped when pyspark is not installed; CI installs it with
the ``dev`` extra.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("pyspark")

# pyspark checks the pandas version on import of its Arrow helpers and warns about pandas 3
_QUIET = [
    "ignore:PySpark does not yet fully support pandas:FutureWarning",
    "ignore::DeprecationWarning:pyspark",
    "ignore::ResourceWarning",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            for spec in _QUIET:
                item.add_marker(pytest.mark.filterwarnings(spec))


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local[2] SparkSession with small shuffles, ERROR logging and no UI."""
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pyspark.sql import SparkSession

        session = (
            SparkSession.builder.master("local[2]")
            .appName("vnlink-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.default.parallelism", "4")
            .config("spark.driver.memory", "2g")
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", "20000")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def to_spark(spark: Any) -> Any:
    """Turn a vnlink Table into a Spark DataFrame (rows kept in order over the partitions)."""

    def convert(table: Any) -> Any:
        return spark.createDataFrame(table.to_arrow())

    return convert
