"""The errors a user can cause, each caught once at the CLI edge and printed as one line."""

from __future__ import annotations


class EmoflatError(Exception):
    """An error the user can fix; printed without a traceback."""

    exit_code = 1


class DataError(EmoflatError):
    """Invalid data: a practice file, the config, or a log that could not be read or written."""

    exit_code = 1


class UsageError(EmoflatError):
    """A usage error: unknown command, bad flag, unknown practice id."""

    exit_code = 2
