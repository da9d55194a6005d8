"""The one exception hierarchy: every failure a user can act on is an L10nSyncError."""

from __future__ import annotations


class L10nSyncError(Exception):
    """Root of every error reported to a user (exit code 2 unless a subclass says otherwise)."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path

    def __str__(self) -> str:
        message = super().__str__()
        return f"{self.path}: {message}" if self.path else message


class ConfigError(L10nSyncError):
    """A flag, environment variable or config file is wrong."""


class UsageError(L10nSyncError):
    """The command line names something that does not exist (a path, a locale, a ref)."""


class FrontMatterError(L10nSyncError):
    """A page's front matter cannot be read or edited."""


class GitError(L10nSyncError):
    """git failed in a way the user did not cause; exit code 3."""

    exit_code = 3
