from __future__ import annotations

import pytest

from camscan.credentials import Credential, CredentialStore, load_credentials
from camscan.errors import UsageError


def found(store: CredentialStore, ip: str) -> Credential:
    """The credential for `ip`, which the test expects to exist."""
    cred = store.for_host(ip)
    assert cred is not None, ip
    return cred


def test_environment_applies_everywhere():
    store = load_credentials(environ={"CAMSCAN_USERNAME": "admin", "CAMSCAN_PASSWORD": "s3cret-env"})
    cred = found(store, "127.0.0.5")
    assert cred.username == "admin" and cred.password.reveal() == "s3cret-env"
    assert "s3cret-env" not in repr(cred) and "s3cret-env" not in str(cred.password)


def test_file_most_specific_range_wins(tmp_path):
    f = tmp_path / "creds.yaml"
    f.write_text(
        "- {targets: 127.30.0.0/16, username: site, password: pw-site}\n"
        "- {targets: [127.30.1.7, 127.30.2.0/24], username: cam, password: pw-cam}\n"
    )
    store = load_credentials(f, environ={"CAMSCAN_USERNAME": "u", "CAMSCAN_PASSWORD": "pw-env"})
    assert found(store, "127.30.1.7").password.reveal() == "pw-cam"
    assert found(store, "127.30.2.9").username == "cam"
    assert found(store, "127.30.9.9").username == "site"
    assert found(store, "127.99.0.1").username == "u"
    assert sorted(store.secrets) == ["pw-cam", "pw-env", "pw-site"]


def test_no_credentials_means_none():
    store = load_credentials(environ={})
    assert not store and store.for_host("127.0.0.1") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {targets: 10.0.0.1, username: a}\n", "needs targets, username and password"),
        ("- {targets: nowhere, username: a, password: b}\n", "entry 1: target 'nowhere'"),
        ("targets: [\n", "not valid YAML"),
        ("{a: 1}\n", "expected a list"),
    ],
)
def test_bad_files_are_clear(tmp_path, text, message):
    f = tmp_path / "c.yaml"
    f.write_text(text)
    with pytest.raises(UsageError, match=message) as info:
        load_credentials(f, environ={})
    assert "b\n" not in str(info.value)


def test_half_set_environment_is_an_error():
    with pytest.raises(UsageError, match="both"):
        load_credentials(environ={"CAMSCAN_USERNAME": "admin"})
