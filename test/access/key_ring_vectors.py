#!/usr/bin/env python3
"""Independent computation of the key ring's HKDF-SHA256 derivations (RFC 5869, with
Python's hmac/hashlib), printing the vectors key_ring_test.cc checks.

  info = b"deltashare" 0x00 purpose 0x00 tenant 0x00 decimal(version)
  salt = b"deltashare key ring v1", length 32
"""
import hashlib
import hmac


def hkdf_sha256(ikm: bytes, salt: bytes, info: bytes, length: int) -> bytes:
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    okm, block, counter = b"", b"", 1
    while len(okm) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm += block
        counter += 1
    return okm[:length]


MASTER = bytes(range(32))
CASES = [
    ("token-pepper", "3f2504e0-4f89-41d3-9a0c-0305e82c3301", 1),
    ("token-pepper", "3f2504e0-4f89-41d3-9a0c-0305e82c3301", 2),
    ("page-token", "3f2504e0-4f89-41d3-9a0c-0305e82c3301", 1),
    ("url-signing", "8d1b9bb3-0e0c-4c57-9d3b-2b2c5a0f7e11", 1),
    ("data-key", "c0ffee00-0000-4000-8000-000000000000", 7),
    ("activation", "", 1),
]

if __name__ == "__main__":
    for purpose, tenant, version in CASES:
        info = b"deltashare\0" + purpose.encode() + b"\0" + tenant.encode() + b"\0" + str(version).encode()
        key = hkdf_sha256(MASTER, b"deltashare key ring v1", info, 32)
        print(f'{{"{purpose}", "{tenant}", {version}, "{key.hex()}"}},')
