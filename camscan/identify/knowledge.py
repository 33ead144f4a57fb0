"""Everything camscan knows, loaded once per process: vendors, product lines, signatures, concerns."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from camscan.concerns import ConcernRegister
from camscan.errors import DataError
from camscan.identify.firmware import FirmwareSchemes
from camscan.identify.placeholders import Placeholders
from camscan.identify.product_lines import ProductLines
from camscan.identify.signatures import SignatureSet
from camscan.identify.vendors import VendorRegistry

#: Where the data lives: $CAMSCAN_DATA, else `vendor_signatures/` beside the package.
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "vendor_signatures"


def data_dir() -> Path:
    return Path(os.environ.get("CAMSCAN_DATA") or DEFAULT_DATA_DIR)


@dataclass(frozen=True, slots=True)
class Knowledge:
    vendors: VendorRegistry
    signatures: SignatureSet
    concerns: ConcernRegister
    directory: Path
    placeholders: Placeholders
    firmware: FirmwareSchemes
    product_lines: ProductLines

    @property
    def version(self) -> str:
        return f"vendors {self.vendors.version}, concerns {self.concerns.version}, {len(self.signatures)} signatures"


def load_knowledge(directory: Path | None = None, extra_concerns: tuple[Path, ...] = ()) -> Knowledge:
    """Load and validate the data files (cached per directory and user register)."""
    return _load(Path(directory or data_dir()).resolve(), tuple(Path(p).resolve() for p in extra_concerns))


@lru_cache(maxsize=8)
def _load(directory: Path, extra_concerns: tuple[Path, ...]) -> Knowledge:
    if not directory.is_dir():
        raise DataError(directory, None, "data directory not found (set CAMSCAN_DATA or reinstall camscan)")
    vendors = VendorRegistry.load(directory / "vendors.yaml")
    lines_file = directory / "product_lines.yaml"
    # Optional: a data directory without product lines (an old or hand-made one) types devices from signatures only.
    product_lines = ProductLines.load(lines_file, vendors) if lines_file.exists() else ProductLines.empty(vendors)
    signatures = SignatureSet.load(directory / "signatures", vendors)
    concerns = ConcernRegister.load(directory / "concerns.yaml", vendors)
    for path in extra_concerns:
        concerns = concerns.merged(ConcernRegister.load(path, vendors))
    placeholders = Placeholders.load(directory / "placeholders.yaml")
    firmware = FirmwareSchemes.load(directory / "firmware_schemes.yaml")
    return Knowledge(vendors, signatures, concerns, directory, placeholders, firmware, product_lines)
