"""Importers: other tools' output loaded as camscan observations."""
