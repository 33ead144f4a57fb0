"""The camscan command line: a thin layer over `camscan.api`.

`app` (the typer application, camscan/cli/app.py) mounts one module per command group; `main` is the console
entry point.
"""

from camscan.cli.app import app, main

__all__ = ["app", "main"]
