"""camscan: inventory and fingerprint your own CCTV estate."""

__version__ = "0.1.0"
