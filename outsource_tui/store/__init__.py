"""The only code that touches TinyDB."""

from outsource_tui.store.store import SCHEMA_VERSION, Store, UnknownRun, UnknownVendor

__all__ = ["SCHEMA_VERSION", "Store", "UnknownRun", "UnknownVendor"]
