// The Spark/Delta JSON schema format ({"type":"struct","fields":[...]}) <-> Schema.
//
// Primitive names: string, long, integer, short, byte, float, double, boolean, binary, date,
// timestamp (UTC micros), timestamp_ntz (local micros), decimal(p,s), void; nested: struct,
// array {elementType, containsNull}, map {keyType, valueType, valueContainsNull}. Field
// metadata is kept verbatim as raw JSON.
#pragma once

#include <string>
#include <string_view>

#include "columnar/type.h"
#include "util/json.h"

namespace ds::columnar {

// InvalidArgument naming the offending field on malformed input or an unknown type name.
Result<SchemaPtr> SchemaFromJson(std::string_view json);
Result<SchemaPtr> SchemaFromJsonValue(const JsonValue& value);
Result<TypePtr> TypeFromJson(const JsonValue& value);

// Serializes a schema in the same format. Types without a Delta equivalent are widened to
// the nearest one that holds every value (uint8 -> short, uint16 -> integer, uint32 -> long,
// uint64 -> decimal(20,0), uuid/fixed binary -> binary... time is NotSupported).
Result<std::string> SchemaToJson(const Schema& schema);
Result<std::string> TypeToJsonName(const DataType& type);

}  // namespace ds::columnar
