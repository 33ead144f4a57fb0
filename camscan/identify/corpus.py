"""The real-device corpus: load its cases, run them through the engine, score what it got right.

Cases are observations real devices produced, copied from public material with the truth the source states
(tests/fixtures/real/README.md). Scoring is per field, over the cases whose observations carry that field
(`supports`); device type and "is it a camera" are scored on every case (device type not where the truth is
`unknown`: the source states no type). Truth device types are words of the device-type vocabulary
(vendor_signatures/device_types.yaml), never a synonym. docs/accuracy.md has the method.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from camscan.errors import DataError
from camscan.identify.device_types import DeviceTypes, load_device_types
from camscan.identify.engine import Engine
from camscan.model import CAMERA_TYPES, Identity, Observation, ObservationError

CATEGORIES = (
    "camera",
    "nvr",
    "dvr",
    "encoder",
    "vms",
    "intercom",
    "access_control",
    "non_camera",
    "lookalike",
)
SCORED_FIELDS = ("manufacturer", "brand", "model", "firmware", "device_type")
SPLITS = ("dev", "held_out")
_FOLD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    file: str
    category: str
    observations: tuple[Observation, ...]
    truth: dict[str, Any]
    supports: tuple[str, ...]
    where: str
    source: str
    split: str = "dev"  # "held_out": a source nobody inspected while writing signatures
    verbatim: bool = True  # False: something in the observations was composed (the case's notes say what)


@dataclass(slots=True)
class Outcome:
    case: Case
    identity: Identity
    right: dict[str, bool]  # scored field → correct
    wrong_maker: bool = False  # the truth names a manufacturer and camscan named a different one

    @property
    def missed(self) -> list[str]:
        return [f for f, ok in self.right.items() if not ok]


def load_corpus(directory: Path, device_types: DeviceTypes | None = None) -> list[Case]:
    """Every case of every `*.yaml` file; a malformed case is a DataError naming the file and the case. Truth device
    types must be words of the vocabulary (`device_types`, else the shipped device_types.yaml)."""
    from camscan.datafile import load_yaml

    vocabulary = device_types if device_types is not None else load_device_types(None)
    cases: list[Case] = []
    ids: dict[str, str] = {}
    files = sorted(Path(directory).glob("*.yaml"))
    if not files:
        raise DataError(directory, None, "no corpus files (*.yaml) found")
    for path in files:
        doc = load_yaml(path)
        if not isinstance(doc, dict) or not isinstance(doc.get("cases"), list):
            raise DataError(path, None, "expected a mapping with 'source' and a 'cases' list")
        src = doc.get("source") or {}
        if not isinstance(src, dict) or not (src.get("repo") or src.get("url")):
            raise DataError(path, "source", "needs 'repo' or 'url' naming where the values come from")
        source = str(src.get("repo") or src.get("url"))
        split = str(src.get("split", "dev"))
        if split not in SPLITS:
            raise DataError(path, "source", f"split {split!r} is not one of {', '.join(SPLITS)}")
        for i, raw in enumerate(doc["cases"], 1):
            cases.append(_case(path, i, raw, source, ids, split=split, vocabulary=vocabulary))
    return cases


def _case(
    path: Path, index: int, raw: Any, source: str, ids: dict[str, str], *, split: str, vocabulary: DeviceTypes
) -> Case:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise DataError(path, f"case #{index}", "each case needs an 'id'")
    cid = raw["id"]
    entry = f"case {cid!r}"
    if cid in ids:
        raise DataError(path, entry, f"id already used in {ids[cid]}")
    ids[cid] = path.name
    category = raw.get("category")
    if category not in CATEGORIES:
        raise DataError(path, entry, f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    truth = raw.get("truth")
    if not isinstance(truth, dict) or "is_camera" not in truth or "device_type" not in truth:
        raise DataError(path, entry, "'truth' needs at least 'device_type' and 'is_camera'")
    _check_truth_type(path, entry, truth["device_type"], vocabulary)
    if bool(truth["is_camera"]) != (truth["device_type"] in CAMERA_TYPES):
        raise DataError(
            path, entry, f"is_camera {truth['is_camera']} contradicts device_type {truth['device_type']!r}"
        )
    if (category in CAMERA_TYPES) != bool(truth["is_camera"]):
        raise DataError(path, entry, f"category {category!r} contradicts is_camera {truth['is_camera']}")
    supports = raw.get("supports") or []
    if not isinstance(supports, list) or any(s not in truth for s in supports):
        raise DataError(path, entry, "'supports' must list fields present in 'truth'")
    if not isinstance(raw.get("verbatim"), bool):
        raise DataError(
            path, entry, "needs 'verbatim: true|false' (false when anything was composed; notes say what)"
        )
    if raw["verbatim"] is False and not raw.get("notes"):
        raise DataError(path, entry, "'verbatim: false' needs 'notes' saying what was composed")
    if not raw.get("where"):
        raise DataError(path, entry, "needs 'where': the place in the source the values were copied from")
    items = raw.get("observations")
    if not isinstance(items, list) or not items:
        raise DataError(path, entry, "needs at least one observation")
    try:
        observations = tuple(Observation.from_dict(o, source="corpus") for o in items)
    except ObservationError as exc:
        raise DataError(path, entry, str(exc)) from None
    return Case(
        id=cid,
        file=path.name,
        category=category,
        observations=observations,
        truth=dict(truth),
        supports=tuple(str(s) for s in supports),
        where=str(raw["where"]),
        source=source,
        split=split,
        verbatim=raw["verbatim"],
    )


def _check_truth_type(path: Path, entry: str, word: Any, vocabulary: DeviceTypes) -> None:
    """A truth's device type is a word of the vocabulary itself: a source's other word is written in camscan's word
    with an `audit:` line saying what the source states (tests/fixtures/real/README.md)."""
    if isinstance(word, str) and word in vocabulary:
        return
    canonical = vocabulary.canonical(word) if isinstance(word, str) else None
    if canonical is not None:
        raise DataError(
            path,
            entry,
            f"truth device_type {word!r} is a synonym of {canonical!r} in the device-type vocabulary: write "
            f"{canonical!r} and an audit line saying what the source states",
        )
    raise DataError(
        path,
        entry,
        f"truth device_type {word!r} is not a word of the device-type vocabulary (vendor_signatures/device_types.yaml): "
        "use the word for the class the source states, or 'unknown' when it states none",
    )


def fold_model(text: str, makers: tuple[str, ...] = ()) -> str:
    """Models compare without case, punctuation or a leading maker word ("AXIS M3045-V" = "m3045v")."""
    folded = text.casefold().strip()
    for maker in makers:
        m = maker.casefold()
        if folded.startswith(m + " ") or folded.startswith(m + "-"):
            folded = folded[len(m) + 1 :]
    return _FOLD.sub("", folded)


class Scorer:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.vendors = engine.vendors
        self.device_types = engine.knowledge.device_types or load_device_types(None)

    def _vendor_key(self, name: str | None) -> str | None:
        if not name:
            return None
        return self.vendors.resolve(name) or self.vendors.words.core(name)

    def _firmware_key(self, text: str | None) -> str | None:
        if not text:
            return None
        version = self.engine.firmware.parse(str(text)).version
        return _FOLD.sub("", version.casefold().lstrip("v"))

    def wrong_maker(self, case: Case, ident: Identity) -> bool:
        """The case's truth names a manufacturer (whether or not its observations support it) and camscan names a
        different one, compared as the maker score compares (canonical vendor, else the folded name). A precision
        measure: naming no maker is a miss, naming the wrong one misleads."""
        want, got = case.truth.get("manufacturer"), ident.manufacturer
        if not want or not got:
            return False
        return self._vendor_key(got) != self._vendor_key(str(want))

    def right(self, case: Case, ident: Identity) -> dict[str, bool]:
        truth = case.truth
        out: dict[str, bool] = {}
        for name in SCORED_FIELDS:
            if name == "device_type" or name not in case.supports:
                continue
            want, got = truth.get(name), getattr(ident, name)
            if name in ("manufacturer", "brand"):
                ok = got is not None and self._vendor_key(got) == self._vendor_key(want)
            elif name == "model":
                makers = tuple(
                    n
                    for n in (truth.get("manufacturer"), truth.get("brand"), ident.manufacturer, ident.brand)
                    if n
                )
                ok = got is not None and fold_model(str(got), makers) == fold_model(str(want), makers)
            else:
                ok = got is not None and self._firmware_key(got) == self._firmware_key(str(want))
            out[name] = ok
        if self.device_types.scored(truth["device_type"]):  # `unknown`: the source states no type to score
            out["device_type"] = ident.device_type == truth["device_type"]
        out["is_camera"] = ident.is_camera == bool(truth["is_camera"])
        return out

    def run(self, cases: list[Case]) -> list[Outcome]:
        outcomes = []
        for case in cases:
            ident = self.engine.identify(case.observations)
            outcomes.append(Outcome(case, ident, self.right(case, ident), self.wrong_maker(case, ident)))
        return outcomes


@dataclass(slots=True)
class Tally:
    right: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return self.right / self.total if self.total else None

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += int(ok)

    def to_dict(self) -> dict[str, Any]:
        return {
            "right": self.right,
            "total": self.total,
            "rate": None if self.rate is None else round(self.rate, 4),
        }


@dataclass(slots=True)
class Summary:
    cases: int
    makers: int
    by_category: Counter[str]
    fields: dict[str, Tally]
    camera_recall: Tally
    camera_precision: Tally
    #: Recall over the camera cases whose observations can say "camera" at all: more than a bare MAC (an OUI alone
    #: never makes a device a camera unless its maker sells only video devices).
    camera_recall_supported: Tally
    #: Recall over the camera cases whose observations themselves say "video-surveillance device" (`is_camera` in
    #: the case's `supports`, by the rule in tests/fixtures/real/README.md): the camera-recall target, measured, as
    #: the maker is, on the cases whose observations can support it.
    camera_recall_stated: Tally = field(default_factory=Tally)
    #: Non-camera cases camscan calls a camera (ids). The terminal names only the dev split's (held-out ones are
    #: counted); `--json` lists them all.
    false_cameras: list[str] = field(default_factory=list)
    #: How many of `false_cameras` each split holds.
    false_cameras_by_split: dict[str, int] = field(default_factory=dict)
    #: Cases whose truth names a manufacturer where camscan named a different one (`Scorer.wrong_maker`): id, file,
    #: split, truth and what camscan named. The terminal lists only the dev split's (held-out ones are counted).
    wrong_makers: list[dict[str, Any]] = field(default_factory=list)
    #: How many of `wrong_makers` each split holds.
    wrong_makers_by_split: dict[str, int] = field(default_factory=dict)
    by_maker: dict[str, dict[str, Tally]] = field(default_factory=dict)
    by_kind: dict[str, dict[str, Tally]] = field(default_factory=dict)
    by_split: dict[str, dict[str, Tally]] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "makers": self.makers,
            "by_category": dict(sorted(self.by_category.items())),
            "fields": {k: v.to_dict() for k, v in self.fields.items()},
            "camera_recall": self.camera_recall.to_dict(),
            "camera_precision": self.camera_precision.to_dict(),
            "camera_recall_supported": self.camera_recall_supported.to_dict(),
            "camera_recall_stated": self.camera_recall_stated.to_dict(),
            "false_cameras": self.false_cameras,
            "false_cameras_by_split": dict(sorted(self.false_cameras_by_split.items())),
            "wrong_makers": {
                "count": len(self.wrong_makers),
                "by_split": dict(sorted(self.wrong_makers_by_split.items())),
                "cases": self.wrong_makers,
            },
            "by_maker": {m: {k: t.to_dict() for k, t in f.items()} for m, f in sorted(self.by_maker.items())},
            "by_kind": {m: {k: t.to_dict() for k, t in f.items()} for m, f in sorted(self.by_kind.items())},
            "by_split": {m: {k: t.to_dict() for k, t in f.items()} for m, f in sorted(self.by_split.items())},
            "misses": self.misses,
        }

    def rates(self) -> dict[str, float | None]:
        """Every figure the floor (bench/accuracy_floor.json) holds, by name."""
        rates = {name: t.rate for name, t in self.fields.items()}
        rates["camera_recall"] = self.camera_recall.rate
        rates["camera_precision"] = self.camera_precision.rate
        rates["camera_recall_supported"] = self.camera_recall_supported.rate
        rates["camera_recall_stated"] = self.camera_recall_stated.rate
        return rates


#: The per-split figures `summary_lines` prints, and their labels.
_SPLIT_LABELS = {
    "manufacturer": "manufacturer",
    "model": "model",
    "firmware": "firmware",
    "camera_recall": "camera_recall",
    "camera_recall_supported": "camera_recall >MAC",
    "camera_recall_stated": "camera_recall stated",
}


def summarise(outcomes: list[Outcome]) -> Summary:
    fields = {name: Tally() for name in (*SCORED_FIELDS, "is_camera")}
    recall, precision, recall_supported, recall_stated = Tally(), Tally(), Tally(), Tally()
    by_maker: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    by_kind: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    by_split: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    false_cameras: list[str] = []
    false_by_split: Counter[str] = Counter(dict.fromkeys({o.case.split for o in outcomes}, 0))
    wrong_makers: list[dict[str, Any]] = []
    wrong_by_split: Counter[str] = Counter(dict.fromkeys({o.case.split for o in outcomes}, 0))
    misses: list[dict[str, Any]] = []
    for o in outcomes:
        truth = o.case.truth
        if o.wrong_maker:
            wrong_makers.append(
                {
                    "id": o.case.id,
                    "file": o.case.file,
                    "split": o.case.split,
                    "truth": truth.get("manufacturer"),
                    "got": o.identity.manufacturer,
                }
            )
            wrong_by_split[o.case.split] += 1
        for name, ok in o.right.items():
            fields[name].add(ok)
            maker = str(truth.get("manufacturer") or truth.get("brand") or "(unknown)")
            by_maker[maker][name].add(ok)
            for kind in {ob.kind for ob in o.case.observations}:
                by_kind[kind][name].add(ok)
            by_split[o.case.split][name].add(ok)
        if truth["is_camera"]:
            by_split[o.case.split]["camera_recall"].add(o.identity.is_camera)
        if truth["is_camera"]:
            recall.add(o.identity.is_camera)
            if any(ob.kind != "mac" for ob in o.case.observations):
                recall_supported.add(o.identity.is_camera)
                by_split[o.case.split]["camera_recall_supported"].add(o.identity.is_camera)
            if "is_camera" in o.case.supports:
                recall_stated.add(o.identity.is_camera)
                by_split[o.case.split]["camera_recall_stated"].add(o.identity.is_camera)
        if o.identity.is_camera:
            precision.add(bool(truth["is_camera"]))
            if not truth["is_camera"]:
                false_cameras.append(o.case.id)
                false_by_split[o.case.split] += 1
        if o.missed:
            misses.append(
                {
                    "id": o.case.id,
                    "file": o.case.file,
                    "split": o.case.split,
                    "missed": o.missed,
                    "truth": {k: truth.get(k) for k in (*o.missed, "device_type") if k != "is_camera"},
                    "got": {
                        k: getattr(o.identity, k) for k in (*o.missed, "device_type") if k != "is_camera"
                    },
                }
            )
    makers = {str(o.case.truth.get("manufacturer") or o.case.truth.get("brand")) for o in outcomes}
    makers.discard("None")
    return Summary(
        cases=len(outcomes),
        makers=len(makers),
        by_category=Counter(o.case.category for o in outcomes),
        fields=fields,
        camera_recall=recall,
        camera_precision=precision,
        camera_recall_supported=recall_supported,
        camera_recall_stated=recall_stated,
        false_cameras=false_cameras,
        false_cameras_by_split=dict(false_by_split),
        wrong_makers=wrong_makers,
        wrong_makers_by_split=dict(wrong_by_split),
        by_maker={m: dict(f) for m, f in by_maker.items()},
        by_kind={k: dict(f) for k, f in by_kind.items()},
        by_split={k: dict(f) for k, f in by_split.items()},
        misses=misses,
    )


def default_corpus_dir() -> Path | None:
    """tests/fixtures/real beside the package in a checkout (the corpus is not shipped in the wheel)."""
    here = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "real"
    return here if here.is_dir() else None


def default_floor_file() -> Path:
    """bench/accuracy_floor.json beside the package in a checkout: the default corpus's recorded floor."""
    return Path(__file__).resolve().parents[2] / "bench" / "accuracy_floor.json"


def below_floor(s: Summary, floor: dict[str, Any]) -> list[str]:
    """How the corpus does worse than its recorded floor (bench/bench_accuracy.py --record): a figure below its
    recorded rate, or more non-cameras called cameras or wrong makers than the recorded ceilings. Empty when it
    holds. The floor, not the targets, is what a change must not break: a held-out case nobody may learn from can
    miss a target without any change being at fault (docs/accuracy.md, "Floor")."""
    out: list[str] = []
    got = s.rates()
    for name, recorded in sorted(floor.get("rates", {}).items()):
        now = got.get(name)
        if now is None or now + 1e-9 < recorded:
            out.append(
                f"{name} {'none' if now is None else f'{now:.4f}'} is below the recorded {recorded:.4f}"
            )
    for name, count in (("false_cameras", len(s.false_cameras)), ("wrong_makers", len(s.wrong_makers))):
        ceiling = floor.get(name, 0 if name == "false_cameras" else None)
        if ceiling is not None and count > ceiling:
            out.append(f"{name.replace('_', ' ')} {count} is above the recorded ceiling {ceiling}")
    return out


def _pct(t: Tally) -> str:
    return "  n/a " if t.rate is None else f"{100 * t.rate:5.1f}%"


def summary_lines(s: Summary, misses: int = 0, *, held_out_misses: bool = False) -> list[str]:
    """The figures as plain lines for a terminal (`camscan signatures test --corpus`).

    The held-out split's misses are left out unless asked for: whoever writes knowledge must not see them, or the
    held-out figures stop measuring generalisation (docs/accuracy.md)."""
    cats = ", ".join(f"{k} {v}" for k, v in sorted(s.by_category.items()))
    lines = [f"corpus: {s.cases} cases, {s.makers} makers ({cats})"]
    for name, t in s.fields.items():
        lines.append(f"  {name:<13} {_pct(t)}  ({t.right}/{t.total})")
    lines.append(
        f"  camera recall     {_pct(s.camera_recall)}  ({s.camera_recall.right}/{s.camera_recall.total})"
    )
    r = s.camera_recall_supported
    lines.append(f"    … of cases with more than a MAC {_pct(r)}  ({r.right}/{r.total})")
    r = s.camera_recall_stated
    lines.append(f"    … of cases whose answers say camera {_pct(r)}  ({r.right}/{r.total})")
    lines.append(
        f"  camera precision  {_pct(s.camera_precision)}  ({s.camera_precision.right}/{s.camera_precision.total})"
    )
    split_of = {
        m["id"]: m["split"] for m in s.misses
    }  # a false camera is always a miss: is_camera is always scored
    named = [c for c in s.false_cameras if held_out_misses or split_of.get(c) != "held_out"]
    lines.append(
        f"  non-cameras called cameras: {len(s.false_cameras)}"
        + (f" ({', '.join(named)})" if named else "")
        + (
            f"; {len(s.false_cameras) - len(named)} held-out, not named"
            if len(named) < len(s.false_cameras)
            else ""
        )
    )
    listed = [w for w in s.wrong_makers if held_out_misses or w["split"] != "held_out"]
    unlisted = len(s.wrong_makers) - len(listed)
    lines.append(
        f"  wrong makers named: {len(s.wrong_makers)}"
        + (
            " (" + "; ".join(f"{w['id']}: {w['got']!r}, truth {w['truth']!r}" for w in listed) + ")"
            if listed
            else ""
        )
        + (f"; {unlisted} held-out, not named" if unlisted else "")
    )
    for split, tallies in sorted(s.by_split.items()):
        parts = [f"{_SPLIT_LABELS[k]} {_pct(t).strip()}" for k, t in tallies.items() if k in _SPLIT_LABELS]
        parts.append(f"wrong makers {s.wrong_makers_by_split.get(split, 0)}")
        parts.append(f"non-cameras called cameras {s.false_cameras_by_split.get(split, 0)}")
        lines.append(f"  {split} split ({max(t.total for t in tallies.values())} cases): " + ", ".join(parts))
    shown = [m for m in s.misses if held_out_misses or m["split"] != "held_out"]
    for miss in shown[:misses]:
        lines.append(
            f"  MISS {miss['id']} ({miss['file']}): {', '.join(miss['missed'])}: got {miss['got']}, truth {miss['truth']}"
        )
    if misses and len(shown) > misses:
        lines.append(f"  … {len(shown) - misses} more misses (--json lists them all)")
    hidden = len(s.misses) - len(shown)
    if hidden:
        lines.append(
            f"  {hidden} held-out misses not listed (--held-out-misses lists them; read them only when not "
            "writing knowledge)"
        )
    return lines


def markdown_tables(s: Summary, min_cases: int = 3) -> str:
    """The figures as Markdown tables (overall, per category of case, per maker, per observation kind)."""
    names = [*SCORED_FIELDS, "is_camera"]
    head = "| | " + " | ".join(names) + " |\n|---|" + "---|" * len(names) + "\n"

    def row(label: str, tallies: dict[str, Tally]) -> str:
        cells = []
        for n in names:
            t = tallies.get(n)
            cells.append("" if t is None or not t.total else f"{_pct(t).strip()} ({t.right}/{t.total})")
        return f"| {label} | " + " | ".join(cells) + " |\n"

    out = ["### Overall\n\n", head, row("all cases", s.fields)]
    r, st = s.camera_recall_supported, s.camera_recall_stated
    out.append(
        f"\nCamera recall {_pct(s.camera_recall).strip()} ({s.camera_recall.right}/{s.camera_recall.total}); over the "
        f"camera cases whose answers say camera {_pct(st).strip()} ({st.right}/{st.total}); over the "
        f"camera cases with more than a bare MAC {_pct(r).strip()} ({r.right}/{r.total}); camera "
        f"precision {_pct(s.camera_precision).strip()} ({s.camera_precision.right}/{s.camera_precision.total}); "
        f"non-cameras called cameras: {len(s.false_cameras)}.\n"
    )
    out += ["\n### Per split (held_out: sources nobody inspected while writing signatures)\n\n", head]
    for split, tallies in sorted(s.by_split.items()):
        out.append(row(split, tallies))
    for key, cases in (
        ("camera_recall_supported", "with more than a bare MAC"),
        ("camera_recall_stated", "whose answers say camera"),
    ):
        per_split = (
            f"{split} {_pct(t).strip()} ({t.right}/{t.total})"
            for split, tallies in sorted(s.by_split.items())
            if (t := tallies.get(key)) is not None
        )
        out.append(f"\nCamera recall over the camera cases {cases}: " + "; ".join(per_split) + ".\n")
    out += [f"\n### Per maker (makers with at least {min_cases} cases)\n\n", head]
    for maker, tallies in sorted(
        s.by_maker.items(), key=lambda kv: (-max(t.total for t in kv[1].values()), kv[0])
    ):
        if max(t.total for t in tallies.values()) >= min_cases:
            out.append(row(maker, tallies))
    out += ["\n### Per observation kind (cases that contain the kind)\n\n", head]
    for kind, tallies in sorted(s.by_kind.items()):
        out.append(row(f"`{kind}`", tallies))
    return "".join(out)
