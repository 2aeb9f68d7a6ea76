"""The one German number format, for pages, the CLI and messages.

    >>> german_number(12345), german_number(1200), german_number(7)
    ('12.345', '1.200', '7')
    >>> german_number(1.53, 1), german_number(-1234567.891, 2)
    ('1,5', '-1.234.567,89')

Thousands are grouped with ``.``, decimals follow a ``,`` (DIN 5008). Plain Python, no
locale: the output is the same on every machine.
"""

from __future__ import annotations

_SWAP = str.maketrans({",": ".", ".": ","})


def german_number(value: int | float, decimals: int = 0) -> str:
    """``12345`` -> ``12.345``; with ``decimals``, ``1.53`` -> ``1,5`` (rounded)."""
    text = f"{value:,.{decimals}f}" if decimals or isinstance(value, float) else f"{int(value):,}"
    return text.translate(_SWAP)
