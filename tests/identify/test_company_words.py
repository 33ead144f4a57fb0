"""Company words (vendor_signatures/company_words.yaml): how company names fold, as data with sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from camscan.errors import DataError
from camscan.identify.knowledge import DEFAULT_DATA_DIR
from camscan.identify.vendors import (
    CompanyWords,
    VendorRegistry,
    core_name,
    display_name,
    normalise_name,
    shipped_company_words,
)

WORDS = shipped_company_words()


@pytest.mark.parametrize("example", WORDS.examples, ids=lambda e: e["name"])
def test_examples_fold_as_documented(example):
    for key, fold in (("normalised", normalise_name), ("core", core_name), ("display", display_name)):
        if key in example:
            assert fold(example["name"]) == example[key], key


def test_the_words_are_data_not_code():
    assert {"ltd", "gmbh", "inc"} <= WORDS.suffixes
    assert "technology" in WORDS.descriptors and "shenzhen" in WORDS.places
    assert WORDS.version != "unknown"


def test_glued_and_repeated_legal_forms_go():
    assert display_name("Shenzhen Example Technology Co.,Ltd.") == "Shenzhen Example Technology"
    assert display_name("Example Systems Pvt. Ltd.") == "Example Systems"
    assert display_name("Limited") == "Limited"  # nothing but a legal form is kept whole
    assert display_name("Coltd Cameras") == "Coltd Cameras"


def test_a_data_directory_brings_its_own_words(tmp_path: Path):
    """A data directory ($CAMSCAN_DATA) with its own company_words.yaml folds names its way."""
    shutil.copy(DEFAULT_DATA_DIR / "vendors.yaml", tmp_path / "vendors.yaml")
    text = (DEFAULT_DATA_DIR / "company_words.yaml").read_text(encoding="utf-8")
    (tmp_path / "company_words.yaml").write_text(
        text.replace("words: [co, ltd,", "words: [kabushiki, co, ltd,")
    )
    registry = VendorRegistry.load(tmp_path / "vendors.yaml")
    assert registry.words.normalise("Example Kabushiki") == "example"
    assert registry.resolve("Hikvision Kabushiki") == "Hikvision"
    assert VendorRegistry.load(DEFAULT_DATA_DIR / "vendors.yaml").resolve("Hikvision Kabushiki") is None


def test_a_broken_words_file_names_itself(tmp_path: Path):
    (tmp_path / "company_words.yaml").write_text("legal_suffixes: {words: [Co.]}\n")
    with pytest.raises(DataError, match=r"company_words\.yaml"):
        CompanyWords.load(tmp_path / "company_words.yaml")


def test_a_certificate_organisation_with_an_escaped_comma(engine):
    """RFC 4514 escapes a comma in a subject value (`O=Zenvix Technology Co.\\, Ltd.`, invented maker): the
    unlisted maker is shown without the escape and the legal form."""
    from camscan.model import Observation

    ident = engine.identify([Observation("tls_subject", "CN=ZX-IPC200,O=Zenvix Technology Co.\\, Ltd.,C=CN")])
    assert ident.brand == "Zenvix Technology"
    assert display_name("Acme Security\\, Inc.") == "Acme Security"
