"""Pictures of reassembly: HTML for any page, and widgets for live notebooks.

``framinglib.visual.html`` draws a trace step, a replay or a failing case as
HTML and imports no ipywidgets, so the grader can use it anywhere. The widgets
(``ReassemblyPlayer``, ``ChunkExplorer``) are loaded on first use through the
module ``__getattr__`` below, which keeps ``import framinglib.visual.html``
free of ipywidgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .widgets import ChunkExplorer, ReassemblyPlayer

__all__ = ["ChunkExplorer", "ReassemblyPlayer"]

_WIDGETS = frozenset(__all__)


def __getattr__(name: str) -> Any:
    if name in _WIDGETS:
        from . import widgets

        return getattr(widgets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
