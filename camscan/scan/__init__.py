"""The active scanner: options, limits, per-host fingerprinting, the store writer, progress, the run."""
