"""Scripts that rebuild the shipped data files from ../shared/data (not part of the wheel)."""
