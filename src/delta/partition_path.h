// The writer's side of partition values (delta.md §8): the text of a value in
// add.partitionValues, Hive-style directory names, and the percent-encoding of add.path.
//
// All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/array.h"

namespace ds::delta {

// The directory name used for NULL partition values.
constexpr std::string_view kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

// Appends the partitionValues text of slot `row` of a primitive array: strings and binary
// raw, integers in decimal, floats in Java's toString form ("1.0", "1.0E10", "NaN"),
// decimals with exactly `scale` digits, booleans "true"/"false", dates "yyyy-MM-dd", UTC
// timestamps "yyyy-MM-ddTHH:mm:ss.ffffffZ", local ones "yyyy-MM-dd HH:mm:ss.ffffff".
// Returns false for NULL and for the empty string (both are written as JSON null);
// NotSupported for nested types.
Result<bool> AppendPartitionValue(const columnar::Array& array, int64_t row, std::string* out);

// True if partition columns of this type can be written.
bool IsPartitionableType(const columnar::DataType& type);

// Java's Double.toString / Float.toString of a value (shortest round-trip digits).
std::string JavaFloatingString(double value, bool is_float32);

// Hive's escaping of a path component: uppercase %XX for 0x00-0x1F, 0x7F and
// " # % ' * / : = ? \ { [ ] ^; everything else (space, non-ASCII) as is.
std::string HiveEscape(std::string_view text);

// "name=value/" for one partition column (`value` nullopt: NULL), Hive-escaped.
void AppendPartitionDirectory(std::string_view physical_name,
                              const std::optional<std::string>& value, std::string* out);

// The add.path form of a relative object key: one URI layer over the key, escaping space,
// " # % < > ? [ \ ] ^ ` { | } and control bytes as %XX (non-ASCII stays raw, '/' separates).
std::string EncodeLogPath(std::string_view relative_key);

}  // namespace ds::delta
