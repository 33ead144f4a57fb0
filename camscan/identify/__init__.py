"""Identification: data files in, one engine, Identities out (engine.py, signatures.py, vendors.py)."""
