#include "delta/last_checkpoint.h"

#include "util/json.h"

namespace ds::delta {
namespace {

Result<std::optional<int64_t>> OptionalInt(const JsonValue& obj, std::string_view key) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  auto i = v->GetInt64();
  if (!i.ok())
    return Status::Corruption("_last_checkpoint: \"" + std::string(key) + "\" is not an integer");
  return std::optional<int64_t>(*i);
}

}  // namespace

Result<LastCheckpointHint> ParseLastCheckpoint(std::string_view json) {
  auto parsed = ParseJson(json, 64);
  if (!parsed.ok()) return Status::Corruption("_last_checkpoint: " + parsed.status().message());
  const JsonValue& obj = *parsed;
  if (!obj.is_object()) return Status::Corruption("_last_checkpoint: not a JSON object");
  LastCheckpointHint hint;
  ASSIGN_OR_RETURN(std::optional<int64_t> version, OptionalInt(obj, "version"));
  ASSIGN_OR_RETURN(std::optional<int64_t> size, OptionalInt(obj, "size"));
  if (!version || *version < 0) {
    return Status::Corruption("_last_checkpoint: missing or negative \"version\"");
  }
  if (!size || *size < 0) return Status::Corruption("_last_checkpoint: missing \"size\"");
  hint.version = *version;
  hint.size = *size;
  ASSIGN_OR_RETURN(std::optional<int64_t> parts, OptionalInt(obj, "parts"));
  if (parts) {
    if (*parts < 1 || *parts > INT32_MAX) {
      return Status::Corruption("_last_checkpoint: invalid \"parts\"");
    }
    hint.parts = static_cast<int32_t>(*parts);
  }
  ASSIGN_OR_RETURN(hint.num_of_add_files, OptionalInt(obj, "numOfAddFiles"));
  if (const JsonValue* v2 = obj.Find("v2Checkpoint"); v2 != nullptr && v2->is_object()) {
    if (const JsonValue* path = v2->Find("path"); path != nullptr && path->is_string()) {
      hint.v2_path = path->string_value();
    }
  }
  return hint;
}

}  // namespace ds::delta
