"""Move every deployment stamp together (placeholder; see README)."""

import sys

if __name__ == "__main__":
    sys.exit("bump.py: not implemented yet")
