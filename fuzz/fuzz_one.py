"""Coverage-guided fuzzing of one camscan parser with atheris (libFuzzer).

    .venv/bin/python fuzz/fuzz_one.py TARGET [libFuzzer flags] [CORPUS_DIR...]

TARGET is a name from camscan.fuzz_targets.TARGETS. A crash is any exception other than the expected ParseError;
libFuzzer writes the input to crash-<hash> in the working directory. fuzz/run_campaign.py runs every target.
"""

from __future__ import annotations

import sys

import atheris

# atheris.instrument_imports, imported from the module that defines it: types-atheris's package stub does not
# list that re-export (it is a partial stub), the module's stub does.
from atheris.import_hook import instrument_imports

with instrument_imports(include=["camscan"]):
    from camscan import fuzz_targets


def main() -> None:
    name = sys.argv[1]
    if name not in fuzz_targets.TARGETS:
        sys.exit(f"unknown target {name!r}; one of {', '.join(sorted(fuzz_targets.TARGETS))}")
    sys.setrecursionlimit(2000)

    def one(data: bytes) -> None:
        fuzz_targets.run(name, data)

    atheris.Setup([sys.argv[0], *sys.argv[2:]], one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
