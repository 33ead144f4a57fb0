"""Discovery: finding live hosts and their open ports. Each method yields Observations or host records."""
