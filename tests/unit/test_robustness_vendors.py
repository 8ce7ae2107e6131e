"""Vendor names, services and contacts hold plain text: no terminal escapes, no invisibles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outsource_tui.cli import main
from outsource_tui.domain.vendor import FieldError, VendorDraft, check_draft
from outsource_tui.store import Store

UNPRINTABLE = {
    "escape sequence": "\x1b[31m",
    "bell": "\x07",
    "delete": "\x7f",
    "C1 control": "\x9b",
    "NUL": "\x00",
    "right-to-left override": "\u202e",
    "zero-width space": "\u200b",
    "byte order mark": "\ufeff",
    "private use": "\ue000",
    "lone surrogate": "\ud800",
}


@pytest.mark.parametrize("field", ["name", "service", "contact"])
@pytest.mark.parametrize("char", UNPRINTABLE.values(), ids=UNPRINTABLE.keys())
def test_check_draft_refuses_unprintable_characters(field: str, char: str) -> None:
    values = {"name": "Acme", field: f"Ac{char}me"}
    with pytest.raises(FieldError) as caught:
        check_draft(VendorDraft(**values))
    assert caught.value.field == field
    assert str(caught.value) == (
        f"the {field} cannot hold control or invisible characters "
        f"(found U+{ord(char[0]):04X}): type it as plain text"
    )


def test_letters_of_every_script_and_spacing_still_pass() -> None:
    fields = check_draft(
        VendorDraft(
            name="  Müller\t&  Søn 株式会社 ",
            service="support — 24/7 ✓",
            contact="Zoë\n<zoe@example.com>",
        )
    )
    assert fields["name"] == "Müller & Søn 株式会社"
    assert fields["service"] == "support — 24/7 ✓"
    assert fields["contact"] == "Zoë <zoe@example.com>"


def test_the_command_line_refuses_an_escape_in_a_name_and_stores_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["vendor", "add", "Acme\x1b]0;pwned\x07"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "outsource-tui: error: name: the name cannot hold control or invisible characters "
        "(found U+001B): type it as plain text\n"
    )
    assert not (data_dir / "index.json").exists()

    assert main(["vendor", "add", "Acme", "--contact", "Bob\u202eevil"]) == 1
    assert "the contact cannot hold control or invisible characters (found U+202E)" in (
        capsys.readouterr().err
    )
    assert main(["vendor", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_editing_a_vendor_refuses_them_too(data_dir: Path) -> None:
    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    before = (data_dir / "index.json").read_bytes()
    with pytest.raises(FieldError):
        store.edit_vendor(vendor.id, VendorDraft(name="Acme\x1b[2J"))
    with pytest.raises(FieldError):
        store.set_vendor_facts(vendor.id, {"service": "desk\x00"})
    assert (data_dir / "index.json").read_bytes() == before
