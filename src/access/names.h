// Names of shares, schemas, tables and recipients: validation and case folding.
//
// The rules are those of the Delta Sharing protocol: at most 255 characters, valid UTF-8, no
// space, '/', control character (0x00-0x1F) or DEL (0x7F); schema and table names also have no
// '.'. Names compare case-insensitively: NameKey folds ASCII letters to lower case (other code
// points compare exactly), and stores index that key. Every function is pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace ds::access {

enum class NameKind { kShare, kSchema, kTable, kRecipient };

// "share", "schema", "table", "recipient".
std::string_view NameKindName(NameKind kind);

// OK, or InvalidArgument naming the rule broken, e.g. "table name 'a.b' contains '.'".
Status ValidateName(NameKind kind, std::string_view name);

// `name` in single quotes for messages: control characters escaped, at most 64 bytes shown.
std::string QuoteName(std::string_view name);

// "share 'x' does not exist" (the name quoted as QuoteName does).
std::string NotFoundMessageFor(NameKind kind, std::string_view name);

// The case-folded form stores compare and index names by.
std::string NameKey(std::string_view name);

// True if `a` and `b` are the same name (ASCII case-insensitively).
bool SameName(std::string_view a, std::string_view b);

}  // namespace ds::access
