// A small JSON DOM and writer for configuration, schemas, stats and request bodies.
//
// Numbers keep their source text, so decimals and int64 values never pass through double.
// Objects keep key order. Parsing is strict (RFC 8259) with a depth limit; errors name the
// byte offset. Hot paths (Delta log replay) use a streaming parser instead.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace ds {

class JsonValue {
 public:
  enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

  JsonValue() = default;
  static JsonValue Bool(bool b);
  // `text` must be a valid JSON number token.
  static JsonValue NumberText(std::string text);
  static JsonValue Int(int64_t v);
  static JsonValue Double(double v);
  static JsonValue String(std::string s);
  static JsonValue Array();
  static JsonValue Object();

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  // REQUIRES: the matching kind.
  bool bool_value() const { return bool_; }
  const std::string& number_text() const { return text_; }
  const std::string& string_value() const { return text_; }
  const std::vector<JsonValue>& items() const { return values_; }
  std::vector<JsonValue>& mutable_items() { return values_; }
  // Object members, in order: keys()[i] -> items()[i].
  const std::vector<std::string>& keys() const { return keys_; }
  size_t size() const { return values_.size(); }

  // Object lookup (first match); nullptr if absent or not an object.
  const JsonValue* Find(std::string_view key) const;
  JsonValue* FindMutable(std::string_view key);

  // Typed views with clear errors ("expected an integer").
  Result<int64_t> GetInt64() const;
  Result<double> GetDouble() const;
  Result<std::string_view> GetString() const;
  Result<bool> GetBool() const;

  // Builders. REQUIRES: array / object.
  void Append(JsonValue v) { values_.push_back(std::move(v)); }
  // Replaces an existing key or appends.
  void Set(std::string key, JsonValue v);

  // For the parser: object keys, parallel to mutable_items().
  std::vector<std::string>& keys_for_parser() { return keys_; }

  // Compact serialization (no spaces).
  std::string ToString() const;
  void AppendTo(std::string* out) const;

 private:
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  std::string text_;  // number token or string value
  std::vector<std::string> keys_;
  std::vector<JsonValue> values_;
};

// Parses one JSON document; trailing whitespace is allowed, anything else is an error.
// InvalidArgument with the offset on malformed input or nesting deeper than `max_depth`.
Result<JsonValue> ParseJson(std::string_view text, int max_depth = 128);

// Appends `s` as a quoted JSON string. Invalid UTF-8 bytes become U+FFFD.
void AppendJsonString(std::string_view s, std::string* out);
// Appends a double in shortest round-trip form; NaN and infinities become the strings
// "NaN", "Infinity", "-Infinity" (quoted), as deltashare prints them.
void AppendJsonDouble(double v, std::string* out);
void AppendJsonInt(int64_t v, std::string* out);
void AppendJsonUInt(uint64_t v, std::string* out);

// A streaming writer that places commas and colons for you.
//   JsonWriter w(&out); w.BeginObject(); w.Key("a"); w.Int(1); w.EndObject();
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}
  void BeginObject() {
    Prefix();
    out_->push_back('{');
    first_.push_back(true);
  }
  void EndObject() {
    out_->push_back('}');
    first_.pop_back();
  }
  void BeginArray() {
    Prefix();
    out_->push_back('[');
    first_.push_back(true);
  }
  void EndArray() {
    out_->push_back(']');
    first_.pop_back();
  }
  void Key(std::string_view k) {
    Prefix();
    AppendJsonString(k, out_);
    out_->push_back(':');
    after_key_ = true;
  }
  void String(std::string_view s) {
    Prefix();
    AppendJsonString(s, out_);
  }
  void Int(int64_t v) {
    Prefix();
    AppendJsonInt(v, out_);
  }
  void UInt(uint64_t v) {
    Prefix();
    AppendJsonUInt(v, out_);
  }
  void Double(double v) {
    Prefix();
    AppendJsonDouble(v, out_);
  }
  void Bool(bool b) {
    Prefix();
    out_->append(b ? "true" : "false");
  }
  void Null() {
    Prefix();
    out_->append("null");
  }
  // Appends pre-serialized JSON as one value.
  void Raw(std::string_view json) {
    Prefix();
    out_->append(json);
  }
  void Value(const JsonValue& v) {
    Prefix();
    v.AppendTo(out_);
  }
  // Convenience: Key + value.
  void Field(std::string_view k, std::string_view v) {
    Key(k);
    String(v);
  }
  void FieldInt(std::string_view k, int64_t v) {
    Key(k);
    Int(v);
  }
  void FieldBool(std::string_view k, bool v) {
    Key(k);
    Bool(v);
  }

 private:
  void Prefix() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) out_->push_back(',');
      first_.back() = false;
    }
  }
  std::string* out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace ds
