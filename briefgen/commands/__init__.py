"""What each command of the CLI does beyond parsing its options: one module a command (build,
check, publish, serve, stats, doctor, init, new), plus the files a build makes (products) and its
progress line (progress). cli.py parses the options and calls one run_* function here.

May import: anything in briefgen; nothing imports commands except cli and other commands."""
