"""Errors a user can cause and fix. Each carries one line fit to show as it is."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can act on; its message is one clear line."""


class StoreError(UserError):
    """The store on disk cannot be read or written."""


class ValidationError(UserError):
    """A value typed by the user was refused; the message says why."""
