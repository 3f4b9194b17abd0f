"""The live widgets, in one place: the reassembly player and the chunk explorer.

Both draw with ``framinglib.visual.html``, so a learner sees in a live
notebook the same pictures the grader's feedback shows. Importing this module
imports ipywidgets; ``framinglib.visual`` loads it on first use of a widget.
"""

from .explorer import ChunkExplorer
from .player import ReassemblyPlayer

__all__ = ["ChunkExplorer", "ReassemblyPlayer"]
