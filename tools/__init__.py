"""Scripts that rebuild the shipped data files from ../shared/data, and the README screenshot (not part of the wheel)."""
