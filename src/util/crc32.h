// CRC-32 (the zlib / java.util.zip.CRC32 / Parquet page checksum polynomial), computed with
// libdeflate's carry-less-multiply implementation (3-4x faster than zlib's on x86-64).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ds {

// The CRC-32 of `size` bytes at `data`, continuing from `crc` (0 to start).
uint32_t Crc32(const void* data, size_t size, uint32_t crc = 0);

}  // namespace ds
