"""Signatures test themselves (Recog's self-test, adapted): examples, not_examples and shadowing.
Product lines test their example model names the same way; advisories their model + firmware examples.

Run with `camscan signatures test` or `python -m camscan.identify.selftest`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from camscan.identify.knowledge import Knowledge, load_knowledge
from camscan.identify.signatures import Signature
from camscan.model import CAMERA_TYPES

CHECKED_FOR_SHADOWING = ("brand", "manufacturer", "device_type")


@dataclass(frozen=True, slots=True)
class Failure:
    file: str
    signature: str
    message: str
    what: str = "signature"

    def __str__(self) -> str:
        return f"{self.file}: {self.what} {self.signature!r}: {self.message}"


def _expected_value(key: str, value: object) -> str | None:
    return None if value is None else str(value)


def _actual(values: dict[str, str], key: str, knowledge: Knowledge) -> str | None:
    """What the engine would store for `key`: firmware split by the firmware schemes of the data under test."""
    if key in ("firmware", "firmware_build") and "firmware" in values:
        parts = knowledge.firmware.parse(values["firmware"])
        if key == "firmware":
            return parts.version
        return values.get("firmware_build") or parts.build or parts.build_date
    return values.get(key)


def check_signature(sig: Signature, knowledge: Knowledge) -> list[Failure]:
    failures: list[Failure] = []
    registry = knowledge.vendors
    for n, example in enumerate(sig.examples, 1):
        value = example["value"]
        m = sig.match(value, registry)
        if m is None:
            failures.append(Failure(sig.file, sig.id, f"example {n} does not match: {value!r}"))
            continue
        for key, want in (example.get("expect") or {}).items():
            got = _actual(m.values, key, knowledge)
            if _expected_value(key, want) != got:
                failures.append(
                    Failure(sig.file, sig.id, f"example {n} expected {key} {want!r}, got {got!r}")
                )
        for key, raw in m.unresolved.items():
            failures.append(
                Failure(sig.file, sig.id, f"example {n}: {key} {raw!r} is not a known vendor name or alias")
            )
        expect = example.get("expect") or {}
        for other in knowledge.signatures.by_kind.get(sig.kind, ()):
            if other is sig:
                continue
            om = other.match(value, registry)
            if om is None:
                continue
            for key in CHECKED_FOR_SHADOWING:
                theirs = om.values.get(key)
                want = expect.get(key)
                if theirs is not None and want is not None and str(want) != theirs:
                    failures.append(
                        Failure(
                            sig.file,
                            sig.id,
                            f"example {n} is also matched by {other.id!r} ({other.file}), which asserts "
                            f"{key} {theirs!r} instead of {want!r}",
                        )
                    )
    for n, value in enumerate(sig.not_examples, 1):
        if sig.match(value, registry) is not None:
            failures.append(Failure(sig.file, sig.id, f"not_example {n} matches but must not: {value!r}"))
    return failures


def maker_word_problems(kb: Knowledge) -> list[tuple[str, str]]:
    """maker_words.yaml examples that do not behave, run through the engine: (example, message)."""
    if not kb.maker_words.examples:
        return []
    from camscan.identify.engine import MAKER_WORDS, Engine
    from camscan.model import Observation

    engine = Engine(kb)
    out: list[tuple[str, str]] = []
    for n, ex in enumerate(kb.maker_words.examples, 1):
        ident = engine.identify([Observation(ex["kind"], ex["value"])])
        got = [
            ev.asserts["manufacturer"] for ev in ident.evidence if ev.signature.startswith(MAKER_WORDS + ".")
        ]
        want = [ex["maker"]] if ex["maker"] else []
        if got != want:
            out.append(
                (
                    f"example {n}",
                    f"{ex['kind']} {ex['value']!r} names {got or 'no maker'}, expected {want or 'none'}",
                )
            )
    out.extend(_model_word_problems(kb, engine))
    return out


def kind_word_problems(kb: Knowledge) -> list[tuple[str, str]]:
    """kind_words.yaml examples that do not behave: an example must be typed as its `expect` by the engine (the
    value alone), a not-example must give no video-surveillance kind from the reader (docs/identify.md)."""
    words = kb.kind_words
    if not words.examples and not words.not_examples:
        return []
    from camscan.identify.engine import Engine
    from camscan.model import Observation

    engine = Engine(kb)
    out: list[tuple[str, str]] = []
    for n, ex in enumerate(words.examples, 1):
        ident = engine.identify([Observation(ex["kind"], ex["value"])])
        if ident.device_type != ex.get("expect"):
            out.append(
                (
                    f"example {n}",
                    f"{ex['kind']} {ex['value']!r} is typed {ident.device_type!r}, expected {ex.get('expect')!r}",
                )
            )
    for n, ex in enumerate(words.not_examples, 1):
        said = sorted({h.kind for h in words.read(ex["kind"], ex["value"])} & set(CAMERA_TYPES))
        if said:
            out.append(
                (f"not_example {n}", f"{ex['kind']} {ex['value']!r} names {', '.join(said)} but must not")
            )
    return out


#: Types a class noun may never give (docs/identify.md, "Models named in free text"): the video-surveillance types
#: `is_camera` counts (one definition, camscan/model.py), so a type that joins them is refused here too.
VIDEO_WORDS = CAMERA_TYPES


def _model_word_problems(kb: Knowledge, engine: Any) -> list[tuple[str, str]]:
    """maker_words.yaml `models` examples, run through the engine: the model (and firmware) read from the text."""
    rule = kb.maker_words.models
    out: list[tuple[str, str]] = []
    vocabulary = kb.device_types
    for phrase, word in rule.classes.items() if rule else ():
        if vocabulary is not None and vocabulary.canonical(word) != word:
            out.append(
                (
                    f"models class {phrase!r}",
                    f"device_type {word!r} is not a word of the device-type vocabulary",
                )
            )
        elif word in VIDEO_WORDS:
            out.append(
                (
                    f"models class {phrase!r}",
                    f"device_type {word!r}: no video-surveillance type may come from a class noun",
                )
            )
    for n, ex in enumerate(rule.examples if rule else (), 1):
        got = engine.model_in_text(ex["kind"], ex["value"])
        model, firmware = (got[1], got[2]) if got else (None, None)
        if model != ex["model"]:
            out.append(
                (
                    f"models example {n}",
                    f"{ex['kind']} {ex['value']!r} gives model {model!r}, expected {ex['model']!r}",
                )
            )
        if "firmware" in ex:
            version = kb.firmware.parse(firmware).version if firmware else None
            if version != ex["firmware"]:
                out.append(
                    (
                        f"models example {n}",
                        f"{ex['kind']} {ex['value']!r} gives firmware {version!r}, expected {ex['firmware']!r}",
                    )
                )
    return out


def run(knowledge: Knowledge | None = None) -> tuple[int, int, list[Failure]]:
    """(signatures checked, examples checked, failures)."""
    kb = knowledge or load_knowledge()
    failures: list[Failure] = []
    examples = 0
    for sig in kb.signatures:
        examples += len(sig.examples) + len(sig.not_examples)
        failures.extend(check_signature(sig, kb))
    for scheme in kb.firmware.schemes:
        examples += len(scheme.examples)
    failures.extend(Failure("firmware_schemes.yaml", "-", p) for p in kb.firmware.selftest())
    lines = kb.product_lines
    examples += lines.example_count()
    where = str(lines.path.name if lines.path else "product_lines.yaml")
    for ident, message in lines.all_problems():
        failures.append(Failure(where, ident, message, what="product line"))
    sources = kb.video_sources
    examples += sources.example_count()
    failures.extend(
        Failure("video_sources.yaml", ident, message, what="video-source rule")
        for ident, message in sources.problems()
    )
    words = kb.maker_words
    examples += len(words.examples) + (len(words.models.examples) if words.models else 0)
    failures.extend(
        Failure("maker_words.yaml", ident, message, what="maker-words rule")
        for ident, message in maker_word_problems(kb)
    )
    objects = kb.identity_objects
    examples += objects.example_count()
    failures.extend(
        Failure("identity_objects.yaml", ident, message, what="identity-object rule")
        for ident, message in objects.problems()
    )
    examples += kb.kind_words.example_count()
    failures.extend(
        Failure("kind_words.yaml", ident, message, what="kind-words rule")
        for ident, message in kind_word_problems(kb)
    )
    from camscan.risk.selftest import run as run_advisories

    checked, problems = run_advisories(kb.advisories, kb.firmware)
    examples += checked
    failures.extend(
        Failure("advisories.yaml", ident, message, what="advisory") for ident, message in problems
    )
    return len(kb.signatures), examples, failures


def main() -> int:
    from camscan.errors import DataError

    try:
        count, examples, failures = run()
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for f in failures:
        print(f"FAIL {f}")
    print(f"{count} signatures, {examples} examples (with product lines): {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
