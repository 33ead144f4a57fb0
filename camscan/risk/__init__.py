"""Firmware risk (issue 13): which devices run firmware named by a published advisory, offline.

`advisories` loads vendor_signatures/advisories.yaml, `versions` compares firmware strings per vendor scheme,
`match` turns one identity into its advisory statuses. Nothing here sends traffic: it reads what the engine
already concluded (maker after OEM resolution, model, firmware).
"""
