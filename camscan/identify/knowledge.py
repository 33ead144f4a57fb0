"""Everything camscan knows, loaded once per process: vendors, product lines, signatures, concerns."""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import os
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from camscan.concerns import ConcernRegister
from camscan.errors import DataError
from camscan.identify import oui
from camscan.identify.device_types import DeviceTypes, load_device_types
from camscan.identify.firmware import FirmwareSchemes
from camscan.identify.identity_objects import IdentityObjects
from camscan.identify.kind_words import KindWords
from camscan.identify.maker_words import MakerWords
from camscan.identify.nmap_probes import NmapRules
from camscan.identify.placeholders import Placeholders
from camscan.identify.product_lines import ProductLines
from camscan.identify.signatures import SignatureSet
from camscan.identify.vendors import VendorRegistry
from camscan.identify.video_sources import VideoSources
from camscan.risk.advisories import AdvisorySet, load_advisories

#: The package the data files ship as (repository folder `vendor_signatures/`, mapped in setup.py).
DATA_PACKAGE = "camscan.vendor_signatures"


@cache
def shipped_data_dir() -> Path:
    """The data shipped with camscan, as a directory (a wheel, `pip install .`, or an editable install)."""
    root = resources.files(DATA_PACKAGE)
    if isinstance(root, Path):
        return root
    stack = ExitStack()  # zipped install: extracted once, removed at exit
    atexit.register(stack.close)
    return Path(stack.enter_context(resources.as_file(root)))


#: The shipped data directory (what `data_dir()` gives without $CAMSCAN_DATA).
DEFAULT_DATA_DIR: Path = shipped_data_dir()


def data_dir() -> Path:
    """Where the data lives: $CAMSCAN_DATA, else the data shipped with camscan."""
    env = os.environ.get("CAMSCAN_DATA")
    return Path(env) if env else shipped_data_dir()


@dataclass(frozen=True, slots=True)
class Knowledge:
    vendors: VendorRegistry
    signatures: SignatureSet
    concerns: ConcernRegister
    directory: Path
    placeholders: Placeholders
    firmware: FirmwareSchemes
    product_lines: ProductLines
    #: Firmware advisories (issue 13; empty for a data directory without advisories.yaml).
    advisories: AdvisorySet = field(default_factory=AdvisorySet.empty)
    #: The services-offered rule: a live RTSP video stream makes a video source (empty without the file).
    video_sources: VideoSources = field(default_factory=VideoSources.empty)
    #: Makers named in free text (a vendor class, a page title): which texts, and which words name no maker.
    maker_words: MakerWords = field(default_factory=MakerWords.empty)
    #: How nmap's service-probe matches are read (device types, OS-only CPE vendors); empty without the file.
    nmap_rules: NmapRules = field(default_factory=NmapRules.empty)
    #: The one device-type vocabulary (device_types.yaml): every word a device_type can be.
    device_types: DeviceTypes | None = None
    #: Kinds named in a device's own answers (kind_words.yaml): the words, the look-alikes and the fields read.
    kind_words: KindWords = field(default_factory=KindWords.empty)
    #: Short identity keys read inside the one object that is the device's identity (identity_objects.yaml).
    identity_objects: IdentityObjects = field(default_factory=IdentityObjects.empty)
    #: A digest of every data file the knowledge was loaded from (`data_digest`): two scans with the same digest
    #: were identified with the same signatures, product lines, vocabulary and registers, whatever their versions say.
    digest: str = "unknown"

    @property
    def version(self) -> str:
        types = self.device_types.version if self.device_types is not None else "unknown"
        return (
            f"vendors {self.vendors.version}, concerns {self.concerns.version}, device types {types}, "
            f"{len(self.signatures)} signatures, data {self.digest}, OUI registry {oui.registry_version()}"
        )


#: The data files a digest covers: the YAML data and the JSON schemas that check it (nothing else lives there).
_DIGESTED_SUFFIXES = (".yaml", ".yml", ".json")


def data_digest(directory: Path, extra: tuple[Path, ...] = ()) -> str:
    """sha256 (first 12 hex digits) over the data directory's files, by relative path and content, plus `extra`.

    Version fields change only when someone bumps them; a signature edited without a bump still changes this, so
    the store's `data_version` tells exactly which knowledge identified a scan (docs/store.md)."""
    digest = hashlib.sha256()
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix in _DIGESTED_SUFFIXES)
    for path in (*files, *extra):
        name = path.relative_to(directory).as_posix() if path.is_relative_to(directory) else str(path)
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def load_knowledge(directory: Path | None = None, extra_concerns: tuple[Path, ...] = ()) -> Knowledge:
    """Load and validate the data files (cached per directory and user register)."""
    return _load(Path(directory or data_dir()).resolve(), tuple(Path(p).resolve() for p in extra_concerns))


@lru_cache(maxsize=8)
def _load(directory: Path, extra_concerns: tuple[Path, ...]) -> Knowledge:
    if not directory.is_dir():
        raise DataError(directory, None, "data directory not found (set CAMSCAN_DATA or reinstall camscan)")
    vendors = VendorRegistry.load(directory / "vendors.yaml")
    # The one device-type vocabulary; a data directory without it uses the shipped one.
    device_types = load_device_types(directory)
    lines_file = directory / "product_lines.yaml"
    # Optional: a data directory without product lines (an old or hand-made one) types devices from signatures only.
    product_lines = (
        ProductLines.load(lines_file, vendors, device_types)
        if lines_file.exists()
        else ProductLines.empty(vendors)
    )
    signatures = SignatureSet.load(directory / "signatures", vendors, device_types)
    # The shipped register must carry its change tracking (added/status); a test data directory need not.
    strict = directory == shipped_data_dir().resolve()
    concerns = ConcernRegister.load(directory / "concerns.yaml", vendors, strict=strict)
    for path in extra_concerns:
        concerns = concerns.merged(ConcernRegister.load(path, vendors))
    placeholders = Placeholders.load(directory / "placeholders.yaml")
    firmware = FirmwareSchemes.load(directory / "firmware_schemes.yaml")
    advisories = load_advisories(directory, vendors, device_types)
    video_sources = VideoSources.load(directory / "video_sources.yaml", device_types)
    nmap_rules = NmapRules.load(directory / "nmap_device_types.yaml", device_types)
    words_file = directory / "maker_words.yaml"
    # Optional: without the file no maker is read from free text.
    maker_words = MakerWords.load(words_file) if words_file.exists() else MakerWords.empty()
    kinds_file = directory / "kind_words.yaml"
    # Optional: without the file no kind is read from free text (signatures still type devices).
    kind_words = KindWords.load(kinds_file, device_types) if kinds_file.exists() else KindWords.empty()
    # Optional: without the file no short key is read from an answer's identity object.
    identity_objects = IdentityObjects.load(directory / "identity_objects.yaml")
    # one notion of "not the device itself" (a child device, an accessory, a part): the kind words skip what the
    # identity-object reader skips
    kind_words = dataclasses.replace(kind_words, not_device=identity_objects.not_device)
    return Knowledge(
        vendors,
        signatures,
        concerns,
        directory,
        placeholders,
        firmware,
        product_lines,
        advisories,
        video_sources,
        maker_words,
        nmap_rules,
        device_types,
        kind_words=kind_words,
        identity_objects=identity_objects,
        digest=data_digest(directory, extra_concerns),
    )
