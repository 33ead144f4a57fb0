"""The one device-type vocabulary: every word a `device_type` can be, its meaning and its synonyms.

Loaded from `vendor_signatures/device_types.yaml` (format: docs/data-format.md, "device_types.yaml"). Every loader
of a data file that states a device type reads the word through `DeviceTypes.check`: a word of the vocabulary
stays, a synonym (another word a source uses for the same class: Recog's `storage` for `nas`) becomes its word,
anything else is a DataError naming the file and the entry. So the engine only ever answers with vocabulary words,
and the corpus's truths (camscan/identify/corpus.py) are compared with the same words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from camscan.errors import DataError
from camscan.model import CAMERA_TYPES

FILE_NAME = "device_types.yaml"


@dataclass(frozen=True, slots=True)
class Word:
    word: str
    meaning: str
    synonyms: tuple[str, ...] = ()
    #: `is_camera` counts it (camera, nvr, dvr, encoder).
    video_surveillance: bool = False
    #: Only corpus truths may use it (`unknown`); a data file asserting it is a DataError.
    truth_only: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class DeviceTypes:
    words: dict[str, Word]
    path: Path | None = None
    version: str = "unknown"
    _synonyms: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for w in self.words.values():
            for s in w.synonyms:
                self._synonyms[s] = w.word

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def __iter__(self) -> Iterator[Word]:
        return iter(self.words.values())

    def __len__(self) -> int:
        return len(self.words)

    def canonical(self, word: str | None) -> str | None:
        """The vocabulary word for `word` (itself, or the word it is a synonym of), or None when it is neither.
        Case and surrounding space do not matter; spaces and hyphens read as underscores (`VoIP Phone`)."""
        if not word:
            return None
        key = "_".join(str(word).strip().casefold().replace("-", " ").split())
        if key in self.words:
            return key
        return self._synonyms.get(key)

    def reportable(self, word: str | None) -> str | None:
        """The vocabulary word a device's own statement stands for, when camscan may report it: None for a word the
        vocabulary does not know and for the corpus-only words (`unknown` and its synonyms: no type)."""
        got = self.canonical(word)
        return got if got is not None and not self.words[got].truth_only else None

    def synonym_of(self, word: str) -> str | None:
        """The word `word` is a synonym of (None when it is a word itself or unknown)."""
        return self._synonyms.get(word)

    def scored(self, word: str | None) -> bool:
        """Whether a corpus truth with this type is scored for device type (`unknown` is not)."""
        entry = self.words.get(word or "")
        return entry is not None and not entry.truth_only

    def check(self, path: object, entry: str | None, word: object, what: str = "device_type") -> str:
        """The vocabulary word a data file's `word` stands for; a DataError naming file and entry otherwise."""
        got = self.canonical(str(word)) if isinstance(word, str) else None
        if got is None:
            raise DataError(
                path,
                entry,
                f"{what} {word!r} is not a word of the device-type vocabulary ({self._where()}); use one of its "
                "words or synonyms, or add the class there with its meaning",
            )
        if self.words[got].truth_only:
            raise DataError(
                path, entry, f"{what} {word!r} is for corpus truths only ({self._where()}), not for data"
            )
        return got

    def _where(self) -> str:
        return str(self.path) if self.path else FILE_NAME

    @classmethod
    def load(cls, path: Path) -> DeviceTypes:
        """Load and validate; a broken entry is a DataError naming the file and the word."""
        from camscan.datafile import load_yaml

        doc = load_yaml(path, "device_types")  # vendor_signatures/schema/device_types.schema.json
        words: dict[str, Word] = {}
        owner: dict[str, str] = {}
        for name, raw in doc["words"].items():
            synonyms = tuple(raw.get("synonyms") or ())
            for s in synonyms:
                if s in doc["words"]:
                    raise DataError(path, f"word {name!r}", f"synonym {s!r} is a word of its own")
                if s in owner:
                    raise DataError(
                        path, f"word {name!r}", f"synonym {s!r} is already a synonym of {owner[s]!r}"
                    )
                owner[s] = name
            words[name] = Word(
                name,
                str(raw["meaning"]).strip(),
                synonyms,
                bool(raw.get("video_surveillance", False)),
                bool(raw.get("truth_only", False)),
            )
        video = {w.word for w in words.values() if w.video_surveillance}
        if video != set(CAMERA_TYPES):
            raise DataError(
                path,
                None,
                f"the words marked video_surveillance ({', '.join(sorted(video)) or 'none'}) must be exactly the types "
                f"is_camera counts ({', '.join(sorted(CAMERA_TYPES))})",
            )
        return cls(words, Path(path), str(doc.get("version", "unknown")))


@cache
def _load_cached(path: Path, mtime: float) -> DeviceTypes:
    return DeviceTypes.load(path)


def load_device_types(directory: Path | None = None) -> DeviceTypes:
    """The vocabulary of a data directory; one without the file uses the shipped vocabulary (there is one)."""
    from camscan.identify.knowledge import shipped_data_dir

    path = Path(directory) / FILE_NAME if directory is not None else None
    if path is None or not path.exists():
        path = shipped_data_dir() / FILE_NAME
    path = path.resolve()
    return _load_cached(path, path.stat().st_mtime)
