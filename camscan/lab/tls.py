"""Self-signed certificates with the subject each vendor uses, made at run time with the `openssl` command.

One RSA key per cache directory signs every certificate; each distinct subject gets one certificate, cached on
disk, so a thousand devices of one model cost one `openssl` run (models whose subject names the MAC cost one
per device, about 10 ms each). camscan's virtualenv has no `cryptography` package, hence the command.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
from pathlib import Path

from camscan.errors import CamscanError


class TlsError(CamscanError):
    """A certificate could not be made."""


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "camscan-lab" / "tls"


def _subject_arg(subject: tuple[tuple[str, str], ...]) -> str:
    def esc(value: str) -> str:
        return value.replace("\\", "\\\\").replace("/", "\\/").replace("=", "\\=").replace("+", "\\+")

    return "".join(f"/{attr}={esc(value)}" for attr, value in subject)


class CertFactory:
    """Makes and caches certificates and SSL contexts."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        directory = cache_dir or default_cache_dir()
        try:
            directory.mkdir(parents=True, exist_ok=True)
            probe = directory / ".write-test"
            probe.write_text("x")
            probe.unlink()
        except OSError:
            directory = Path(tempfile.mkdtemp(prefix="camscan-lab-tls-"))
        self.directory = directory
        self._lock = threading.Lock()
        self._contexts: dict[str, ssl.SSLContext] = {}
        self.generated = 0
        if shutil.which("openssl") is None:
            raise TlsError("the openssl command is needed for the lab's TLS certificates")

    def _run(self, args: list[str]) -> None:
        try:
            subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            raise TlsError(
                f"openssl {args[0]} failed: {exc} {detail.decode(errors='replace')[:200]}"
            ) from exc

    def key_path(self) -> Path:
        key = self.directory / "lab-key.pem"
        if not key.exists():
            tmp = key.with_suffix(f".{os.getpid()}.tmp")
            self._run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(tmp)])
            os.replace(tmp, key)
        return key

    def cert_path(self, subject: tuple[tuple[str, str], ...], days: int = 3650) -> Path:
        """The certificate for `subject` (self-signed: the issuer is the subject, as on the devices)."""
        with self._lock:
            key = self.key_path()
            digest = hashlib.sha256(repr((subject, days)).encode()).hexdigest()[:20]
            cert = self.directory / f"cert-{digest}.pem"
            if not cert.exists():
                tmp = cert.with_suffix(f".{os.getpid()}.tmp")
                serial = str(int(digest[:15], 16))
                self._run(
                    [
                        "req",
                        "-x509",
                        "-new",
                        "-key",
                        str(key),
                        "-subj",
                        _subject_arg(subject),
                        "-days",
                        str(days),
                        "-set_serial",
                        serial,
                        "-sha256",
                        "-out",
                        str(tmp),
                    ]
                )
                os.replace(tmp, cert)
                self.generated += 1
            return cert

    def context(self, subject: tuple[tuple[str, str], ...], days: int = 3650) -> ssl.SSLContext:
        """A server SSLContext presenting the certificate for `subject`."""
        cert = self.cert_path(subject, days)
        with self._lock:
            ctx = self._contexts.get(str(cert))
            if ctx is None:
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.minimum_version = ssl.TLSVersion.TLSv1_2
                ctx.load_cert_chain(str(cert), str(self.key_path()))
                self._contexts[str(cert)] = ctx
            return ctx
