"""Entry point for ``python -m l10nsync``."""

from l10nsync.cli import main

main()
