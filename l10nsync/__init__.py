"""l10nsync: keep translated documentation in step with its English source."""

__version__ = "0.1.0"
