"""What l10nsync keeps between runs, under the translations repository's git directory."""
