"""Package exports loaded on first use, so `fraudnet --help` does not import LightGBM.

A command-line call pays for what it runs: importing every analytic stage (scikit-learn,
igraph, Splink, plotly) took most of a CLI call's start-up. A package lists its public names
here and under `TYPE_CHECKING` for type checkers; Python's module `__getattr__` (PEP 562)
imports the defining module when a name is first read.

A name that is also a submodule's name (`fraudnet.detect.evaluate`) cannot be lazy: importing
the submodule sets the package attribute to the module. Import such names eagerly.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`, whose `exports` map a name to its module."""

    def getattr_(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # later reads skip this hook
        return value

    def dir_() -> list[str]:
        return sorted(set(exports) | set(vars(sys.modules[package])))

    return getattr_, dir_
