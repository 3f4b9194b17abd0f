"""The fixed-size length header: which sizes and byte orders exist, and their ``struct``.

Shared by the length-prefix decoder, the encoders and the socket and asyncio
adapters, so that all of them accept the same headers and refuse the others
with the same ``ValueError``.
"""

from __future__ import annotations

import struct
from typing import Literal

__all__ = ["ByteOrder", "header_struct"]

#: How the header's bytes are read: most significant first ("big", network order) or last.
ByteOrder = Literal["big", "little"]

_FORMAT_BY_SIZE = {1: "B", 2: "H", 4: "I", 8: "Q"}
_PREFIX_BY_ORDER = {"big": ">", "little": "<"}


def header_struct(header_size: int, byteorder: str) -> struct.Struct:
    """The ``struct`` that packs and unpacks a ``header_size``-byte header in ``byteorder``.

    Raises ``ValueError`` for a size other than 1, 2, 4 or 8, or an unknown byte order.
    """
    if header_size not in _FORMAT_BY_SIZE or isinstance(header_size, bool):
        raise ValueError(f"header_size must be 1, 2, 4 or 8, not {header_size!r}")
    if byteorder not in _PREFIX_BY_ORDER:
        raise ValueError(f"byteorder must be 'big' or 'little', not {byteorder!r}")
    return struct.Struct(_PREFIX_BY_ORDER[byteorder] + _FORMAT_BY_SIZE[header_size])
