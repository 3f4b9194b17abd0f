"""How the widgets stay visible where no widget can be drawn.

Each widget is displayed as two outputs: a static picture of its state, then
the live widget. CSS decides which one shows, so it works with no JavaScript:
in JupyterLab, Notebook 7 and nbconvert's lab pages the picture's output hides
itself when the next output holds a rendered widget; elsewhere the widget's own
HTML hides the pictures. nbconvert's HTML of a run notebook and a notebook
reopened without its kernel show the picture; a terminal prints its text.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FALLBACK_SELF_HIDE", "HIDE_FALLBACK", "StaticFallback"]

#: Put into every live widget's HTML: where a widget is alive, static twins are hidden
#: (the rule for front ends that do not use JupyterLab's output classes, such as VS Code).
HIDE_FALLBACK = "<style>.fcv-fallback{display:none}</style>"
#: Put before each static twin: in JupyterLab, Notebook 7 and nbconvert's pages, the twin's
#: output hides itself when the very next output holds its live widget. This does not
#: depend on the widget's own style being in the page (a cell scrolled away may be detached).
FALLBACK_SELF_HIDE = (
    "<style>.jp-OutputArea-child:has(.fcv-fallback):has(+ .jp-OutputArea-child .fcv-live)"
    "{display:none}</style>"
)


class StaticFallback:
    """Displays a widget together with a static picture of its state.

    Two outputs are displayed: the static picture, then the widget. Where the
    widget renders, the picture's output hides itself (a CSS rule it carries
    matches when the next output holds a rendered widget), and the widget's
    own HTML hides pictures in front ends without JupyterLab's output classes.
    A page without a widget manager (nbconvert's HTML, a notebook reopened
    without its kernel) cannot draw the widget and shows the picture; a
    terminal prints the text form.
    """

    def static_html(self) -> str:
        """A picture of the widget's current state (no controls)."""
        raise NotImplementedError

    def static_text(self) -> str:
        """The same state as plain text, for terminals."""
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        data["text/html"] = self.static_html()
        data["text/plain"] = self.static_text()
        return data

    def _ipython_display_(self) -> None:
        from IPython.display import display

        static = {
            "text/html": f'{FALLBACK_SELF_HIDE}<div class="fcv-fallback">'
                         f"{self.static_html()}</div>",
            "text/plain": self.static_text(),
        }
        display(static, raw=True)
        live = super()._repr_mimebundle_()  # type: ignore[misc]
        live["text/plain"] = f"{type(self).__name__} (the controls need a live notebook)"
        display(live, raw=True)
