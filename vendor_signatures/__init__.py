"""camscan's data files (vendors, signatures, concerns, probes), shipped as the package
`camscan.vendor_signatures` and read with `importlib.resources` (see camscan/identify/knowledge.py)."""
