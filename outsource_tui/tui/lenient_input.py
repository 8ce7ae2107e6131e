"""Keys and pastes that are not valid UTF-8 must not end the app.

Textual's Linux driver decodes the terminal's input with a strict UTF-8 decoder in its input
thread, so one stray byte (a paste from a terminal in another encoding) raises there, and the
app stops with a traceback (Textual issue 6456, open for 8.2). Until Textual decodes leniently
itself, the driver's module is given a decoder that turns such bytes into U+FFFD instead.
"""

from __future__ import annotations

import codecs
import functools
from collections.abc import Callable
from typing import Any


def _lenient(encoding: str) -> Callable[..., codecs.IncrementalDecoder]:
    factory = codecs.getincrementaldecoder(encoding)
    return functools.partial(factory, errors="replace")


def install() -> None:
    """Make the terminal drivers that read stdin decode bad bytes as U+FFFD."""
    from textual.drivers import linux_driver

    module: Any = linux_driver
    if getattr(module, "getincrementaldecoder", None) is codecs.getincrementaldecoder:
        module.getincrementaldecoder = _lenient
