"""Documents in: the Article and the readers for txt, JSON(L), CSV and gzip files."""
