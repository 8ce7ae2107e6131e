"""settings.toml's [keys] table: the app's keys, remapped by binding id."""

from __future__ import annotations

from pathlib import Path

import pytest

from outsource_tui.domain.library import load_library
from outsource_tui.domain.settings import load_settings
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.errors import UserError
from outsource_tui.paths import user_playbook_dir
from outsource_tui.services import Services
from outsource_tui.store import Store
from outsource_tui.tui.app import OutsourceApp
from outsource_tui.tui.screens.dashboard import DashboardScreen
from outsource_tui.tui.screens.vendor import VendorScreen
from outsource_tui.tui.screens.vendor_form import VendorFormScreen

from .conftest import SIZE, notifications, screen_text, settle


def write_settings(data_dir: Path, text: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.toml").write_text(text, encoding="utf-8")


def app_with_settings(data_dir: Path) -> OutsourceApp:
    """The app as the CLI builds it: the settings read from the data directory."""
    library = load_library([user_playbook_dir(data_dir)])
    return OutsourceApp(Services(Store(data_dir), library, load_settings(data_dir)))


async def test_a_remapped_key_opens_the_form_and_the_old_key_no_longer_does(
    data_dir: Path,
) -> None:
    write_settings(data_dir, '[keys]\nadd-vendor = "n"\n')
    app = app_with_settings(data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "n Add vendor" in screen_text(app)  # the footer shows the new key
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)  # the old key does nothing now
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, VendorFormScreen)
        assert "Add a vendor" in screen_text(app)
        # The form works as usual: a vendor typed there is stored.
        await pilot.press(*"Remapped Ltd", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "no key binding called" not in notifications(app)  # add-vendor is known
    assert [v.name for v in Store(data_dir).list_vendors()] == ["Remapped Ltd"]


async def test_without_a_keys_table_a_opens_the_form(data_dir: Path) -> None:
    # The other half of the test above: "a" is the key until a setting moves it.
    write_settings(data_dir, '[me]\ntimezone = "Europe/Berlin"\n')
    app = app_with_settings(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, VendorFormScreen)


async def test_an_unknown_binding_id_is_named_in_a_warning(data_dir: Path) -> None:
    write_settings(data_dir, '[keys]\nadd-vendor = "n"\nno-such-thing = "z"\n')
    app = app_with_settings(data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        shown = notifications(app)
        assert "settings.toml [keys]: no key binding called no-such-thing" in shown
        assert "add-vendor" not in shown
        await pilot.press("n")  # the known one still applies
        await pilot.pause()
        assert isinstance(app.screen, VendorFormScreen)


async def test_the_vendor_tables_open_key_can_be_remapped_without_a_warning(
    data_dir: Path,
) -> None:
    # The dashboard's vendor table declares its enter binding with id "open-vendor".
    Store(data_dir).add_vendor(VendorDraft(name="Acme Support"))
    write_settings(data_dir, '[keys]\nopen-vendor = "o"\n')
    app = app_with_settings(data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, VendorScreen)  # the remap works...
        assert "Acme Support" in screen_text(app)
        # ...so the app must not tell the user there is no such binding.
        assert "no key binding called open-vendor" not in notifications(app)


def test_a_key_that_is_not_a_string_is_refused_with_its_line(data_dir: Path) -> None:
    write_settings(
        data_dir, '[scorecard]\nkpi_green = 1.0\n\n[keys]\nquit = "ctrl+x"\nadd-vendor = 3\n'
    )
    with pytest.raises(UserError) as refused:
        load_settings(data_dir)
    message = str(refused.value)
    assert f"{data_dir / 'settings.toml'}:6:" in message
    assert "keys.add-vendor" in message
    assert 'must be keys in quotes, such as "ctrl+n"' in message


@pytest.mark.parametrize(
    ("line", "number"),
    [("add-vendor = 3", 2), ('"add-vendor" = true', 2), ('add-vendor = "  "', 2)],
)
def test_values_that_are_not_keys_are_refused(data_dir: Path, line: str, number: int) -> None:
    write_settings(data_dir, f"[keys]\n{line}\n")
    with pytest.raises(UserError, match=rf"settings\.toml:{number}: keys\.add-vendor must be"):
        load_settings(data_dir)


def test_good_keys_are_read_trimmed(data_dir: Path) -> None:
    write_settings(data_dir, '[keys]\nadd-vendor = " n "\nquit = "ctrl+x"\n')
    assert load_settings(data_dir).keys == {"add-vendor": "n", "quit": "ctrl+x"}
