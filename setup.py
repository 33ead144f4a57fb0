"""Packaging glue that pyproject.toml cannot express: the data files live at the repository's top level
(`vendor_signatures/`, as DESIGN.md lays out) and ship inside the distribution as the package
`camscan.vendor_signatures`, so a wheel, `pip install .` and `pipx install` carry them. The data files to include are listed in
pyproject.toml (tool.setuptools.package-data), with everything else."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["camscan", "camscan.*"]), "camscan.vendor_signatures"],
    package_dir={"camscan.vendor_signatures": "vendor_signatures"},
)
