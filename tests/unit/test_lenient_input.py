"""A byte that is not UTF-8, typed or pasted, is read as U+FFFD instead of ending the app."""

from __future__ import annotations

import codecs

from outsource_tui.tui import lenient_input


def test_the_terminal_driver_reads_bad_bytes_as_replacement_characters(monkeypatch) -> None:
    from textual.drivers import linux_driver

    monkeypatch.setattr(linux_driver, "getincrementaldecoder", codecs.getincrementaldecoder)
    strict = linux_driver.getincrementaldecoder("utf-8")().decode
    try:
        strict(b"notes \xff\xfe")
    except UnicodeDecodeError:
        pass
    else:  # pragma: no cover - Textual decodes leniently itself now: this module can go
        raise AssertionError("the strict decoder took a bad byte")
    lenient_input.install()
    decode = linux_driver.getincrementaldecoder("utf-8")().decode
    assert decode(b"notes \xff\xfe ok") == "notes \ufffd\ufffd ok"
    assert decode("Zürich 東京".encode()) == "Zürich 東京"
