"""outsource-tui: guided playbooks, checklists and scorecards for outsourcing relationships."""

__version__ = "0.1.0"
