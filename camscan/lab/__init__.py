"""camscan.lab: an emulated CCTV estate speaking the real protocols, for the demo, tests, pcaps and benchmarks.

Start one with `Lab` (see `camscan.lab.estate`) or `camscan lab up`; the profiles are data in `profiles/`.
"""

from camscan.lab.catalog import demo_profiles
from camscan.lab.estate import Lab, LabError
from camscan.lab.profiles import Profile, ProfileError, list_profiles, load_profile

__all__ = ["Lab", "LabError", "Profile", "ProfileError", "demo_profiles", "list_profiles", "load_profile"]
