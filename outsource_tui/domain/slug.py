"""Ids made from names: the store and the playbook parser both need them."""

from __future__ import annotations

import re


def slugify(text: str, *, ascii_only: bool = False) -> str:
    """A lower-case id made of letters, digits and hyphens (any script unless ``ascii_only``)."""
    pattern = r"[^a-z0-9]+" if ascii_only else r"[\W_]+"
    slug = re.sub(pattern, "-", text.lower()).strip("-")
    return slug or "item"
