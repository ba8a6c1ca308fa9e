"""Exceptions the monitor raises for problems a user must fix."""

from __future__ import annotations


class ConfigError(Exception):
    """A bad sources config: the message names the file, the entry and the problem."""
