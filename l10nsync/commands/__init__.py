"""One module per subcommand: each gathers what it needs and returns data; the CLI prints."""
