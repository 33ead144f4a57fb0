"""Moved to `camscan.datafile` (one YAML loader for every file camscan reads); kept as an alias."""

from camscan.datafile import SafeLoader, load_yaml

__all__ = ["SafeLoader", "load_yaml"]
