"""`python -m camscan.lab up|down|profiles`."""

from camscan.lab.cli import app

if __name__ == "__main__":
    app(prog_name="python -m camscan.lab")
