#include "delta/commit_parser.h"

#include <simdjson.h>

#include <cstring>

#include "util/json.h"

namespace ds::delta {

// Parses the lines of one file with one simdjson kernel.
class ParserBackend {
 public:
  virtual ~ParserBackend() = default;
  virtual Status ParseLines(std::string* text, std::string_view file_name,
                            ActionHandler* handler) = 0;
};

namespace {

using simdjson::error_code;

// Evaluates a simdjson call returning an error_code; on error returns a Corruption naming
// the field from the enclosing backend method.
#define DS_SJ(expr, field)                              \
  do {                                                  \
    error_code _ds_sj_error = (expr);                   \
    if (_ds_sj_error) return Fail(field, _ds_sj_error); \
  } while (false)

namespace builtin_kernel {
namespace od = simdjson::ondemand;
#include "delta/commit_parser_backend.inc"
}  // namespace builtin_kernel

#undef DS_SJ

}  // namespace

CommitParser::CommitParser() : backend_(builtin_kernel::MakeBackend()) {}
CommitParser::~CommitParser() = default;

Status CommitParser::Parse(std::string* text, std::string_view file_name, ActionHandler* handler) {
  return backend_->ParseLines(text, file_name, handler);
}

Result<CommitInfo> ParseCommitInfo(std::string_view json) {
  Result<JsonValue> parsed = ParseJson(json, 64);
  if (!parsed.ok()) return Status::Corruption("commitInfo: " + parsed.status().message());
  if (!parsed->is_object()) return Status::Corruption("commitInfo is not a JSON object");
  CommitInfo info;
  info.json = parsed->ToString();
  auto int_field = [&](std::string_view key) -> std::optional<int64_t> {
    const JsonValue* v = parsed->Find(key);
    if (v == nullptr || !v->is_number()) return std::nullopt;
    Result<int64_t> i = v->GetInt64();
    return i.ok() ? std::optional<int64_t>(*i) : std::nullopt;
  };
  info.timestamp = int_field("timestamp");
  info.in_commit_timestamp = int_field("inCommitTimestamp");
  if (const JsonValue* op = parsed->Find("operation"); op != nullptr && op->is_string()) {
    info.operation = op->string_value();
  }
  if (const JsonValue* params = parsed->Find("operationParameters");
      params != nullptr && params->is_object()) {
    info.operation_parameters_json = params->ToString();
  }
  return info;
}

}  // namespace ds::delta
