"""The plain mode: a playbook walked with line-by-line prompts instead of the full screen.

No Textual here: it runs wherever a terminal does, on the same store and runs as the app.
"""

from outsource_tui.prompts.plain import run_plain

__all__ = ["run_plain"]
