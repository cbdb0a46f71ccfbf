"""UUIDs for the fake Hosting Platform API that encode what they name.

The real API's IDs are UUIDs. The fake's are too, deterministic from the seed, and a
four-round Feistel network over (kind, owner, number) makes them look random while
letting the fake decode an ID it receives without keeping a table of 100,000 of them.
"""

from __future__ import annotations

import re

from wpe_tui.fake.generate import mix64, stream

_M32 = (1 << 32) - 1
_SALT_IDS = 101
_HEX = re.compile(r"[0-9a-f]{32}")

ACCOUNT = 1
SITE = 2
INSTALL = 3
BACKUP = 4
DOMAIN = 5
USER = 6

_OWNER_BITS = 36
_NUMBER_BITS = 24


def _round(key: int, half: int, step: int) -> int:
    return mix64(key ^ (half << 8) ^ step) & _M32


def _scramble(value: int, key: int) -> int:
    left, right = value >> 32, value & _M32
    for step in range(4):
        left, right = right, left ^ _round(key, right, step)
    return (left << 32) | right


def _unscramble(value: int, key: int) -> int:
    left, right = value >> 32, value & _M32
    for step in reversed(range(4)):
        left, right = right ^ _round(key, left, step), left
    return (left << 32) | right


def _check(value: int, key: int) -> tuple[int, int]:
    # 56 bits derived from the value: they make the ID look random, and an ID that the
    # fake did not make fails them.
    check = mix64(value ^ key)
    return check >> 32, check & 0xFFFFFF


def make_id(seed: int, kind: int, owner: int, number: int = 0) -> str:
    """The UUID of thing ``number`` of ``owner`` (a site index, an install code...)."""
    if not (0 <= owner < 1 << _OWNER_BITS and 0 <= number < 1 << _NUMBER_BITS):
        raise ValueError("owner or number out of range")
    key = stream(seed, _SALT_IDS)
    value = _scramble((kind << 60) | (owner << _NUMBER_BITS) | number, key)
    head, tail = _check(value, key)
    digits = f"{head:08x}{value:016x}{tail:06x}"
    # Version 4, variant 1, like uuid.uuid4().
    digits = digits[:12] + "4" + digits[12:15] + "8" + digits[15:]
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def parse_id(seed: int, kind: int, text: str) -> tuple[int, int] | None:
    """(owner, number) of an ID made by `make_id` for ``kind``; None for anything else."""
    digits = text.strip().lower().replace("-", "")
    if len(text.strip()) != 36 or not _HEX.fullmatch(digits):
        return None
    if digits[12] != "4" or digits[16] != "8":
        return None
    digits = digits[:12] + digits[13:16] + digits[17:]
    key = stream(seed, _SALT_IDS)
    value = int(digits[8:24], 16)
    if (int(digits[:8], 16), int(digits[24:], 16)) != _check(value, key):
        return None
    payload = _unscramble(value, key)
    if payload >> 60 != kind:
        return None
    owner = (payload >> _NUMBER_BITS) & ((1 << _OWNER_BITS) - 1)
    return owner, payload & ((1 << _NUMBER_BITS) - 1)
