"""Entry point for ``python -m l10nsync``."""

from l10nsync.terminal import main

main()
