"""Public names load on first use; the CLI starts without the analytic stack."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import types

import pytest

import fraudnet

LAZY_PACKAGES = [
    "fraudnet.detect",
    "fraudnet.graph",
    "fraudnet.interchange",
    "fraudnet.networks",
    "fraudnet.resolve",
    "fraudnet.trace",
]


@pytest.mark.parametrize("name", LAZY_PACKAGES)
def test_every_public_name_resolves_to_its_object(name: str) -> None:
    package = importlib.import_module(name)
    for sub in pkgutil.iter_modules(package.__path__):  # submodules first: the clash case
        importlib.import_module(f"{name}.{sub.name}")
    for export in package.__all__:
        value = getattr(package, export)
        assert not isinstance(value, types.ModuleType), f"{name}.{export} is a module"
        assert export in dir(package)


def test_unknown_name_is_an_attribute_error() -> None:
    import fraudnet.detect

    with pytest.raises(AttributeError, match="no attribute 'not_there'"):
        _ = fraudnet.detect.not_there


def test_cli_starts_without_the_analytic_stack() -> None:
    heavy = [
        "lightgbm",
        "sklearn",
        "igraph",
        "plotly",
        "scipy",
        "followthemoney",
        "stix2",
        "pymisp",
    ]
    code = (
        f"import sys, fraudnet.cli.main\nprint(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"imported at start-up: {done.stdout.strip()}"
    assert fraudnet.__version__
