#include "columnar/json_rows.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "util/base64.h"
#include "util/civil_time.h"
#include "util/string_util.h"

namespace ds::columnar {

std::string FormatUuid(std::string_view b) {
  std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

Result<std::string> ParseUuid(std::string_view text) {
  std::string out;
  int nibbles = 0;
  uint8_t cur = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '-' && (i == 8 || i == 13 || i == 18 || i == 23)) continue;
    int v;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if (c >= 'a' && c <= 'f')
      v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      v = c - 'A' + 10;
    else
      return Status::InvalidArgument("invalid UUID '" + std::string(text) + "'");
    cur = static_cast<uint8_t>((cur << 4) | v);
    if (++nibbles % 2 == 0) out.push_back(static_cast<char>(cur));
  }
  if (nibbles != 32 || text.size() != 36)
    return Status::InvalidArgument("invalid UUID '" + std::string(text) + "'");
  return out;
}

void AppendValueJson(const Array& a, int64_t i, std::string* out) {
  if (a.IsNull(i)) {
    out->append("null");
    return;
  }
  const DataType& t = *a.type;
  switch (t.id) {
    case TypeId::kNull:
      out->append("null");
      return;
    case TypeId::kBool:
      out->append(a.BoolValue(i) ? "true" : "false");
      return;
    case TypeId::kInt8:
      AppendJsonInt(a.Value<int8_t>(i), out);
      return;
    case TypeId::kInt16:
      AppendJsonInt(a.Value<int16_t>(i), out);
      return;
    case TypeId::kInt32:
      AppendJsonInt(a.Value<int32_t>(i), out);
      return;
    case TypeId::kInt64:
      AppendJsonInt(a.Value<int64_t>(i), out);
      return;
    case TypeId::kUInt8:
      AppendJsonUInt(a.Value<uint8_t>(i), out);
      return;
    case TypeId::kUInt16:
      AppendJsonUInt(a.Value<uint16_t>(i), out);
      return;
    case TypeId::kUInt32:
      AppendJsonUInt(a.Value<uint32_t>(i), out);
      return;
    case TypeId::kUInt64:
      AppendJsonUInt(a.Value<uint64_t>(i), out);
      return;
    case TypeId::kFloat32: {
      // Shortest form of the float itself, not of its double widening.
      float f = a.Value<float>(i);
      if (!std::isfinite(f)) {
        AppendJsonDouble(f, out);
      } else {
        char buf[32];
        auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), f);
        out->append(buf, p - buf);
      }
      return;
    }
    case TypeId::kFloat64:
      AppendJsonDouble(a.Value<double>(i), out);
      return;
    case TypeId::kString:
      AppendJsonString(a.View(i), out);
      return;
    case TypeId::kBinary:
    case TypeId::kFixedBinary:
      out->push_back('"');
      out->append(Base64Encode(a.View(i)));
      out->push_back('"');
      return;
    case TypeId::kUuid:
      out->push_back('"');
      out->append(FormatUuid(a.View(i)));
      out->push_back('"');
      return;
    case TypeId::kDecimal:
      out->push_back('"');
      AppendDecimal(a.DecimalValue(i), t.scale, out);
      out->push_back('"');
      return;
    case TypeId::kDate:
      out->push_back('"');
      AppendDate(a.Value<int32_t>(i), out);
      out->push_back('"');
      return;
    case TypeId::kTime:
      out->push_back('"');
      AppendTime(t.unit == TimeUnit::kMillis ? a.Value<int32_t>(i) : a.Value<int64_t>(i), t.unit,
                 out);
      out->push_back('"');
      return;
    case TypeId::kTimestamp:
      out->push_back('"');
      AppendTimestamp(a.Value<int64_t>(i), t.unit, t.utc, out);
      out->push_back('"');
      return;
    case TypeId::kStruct:
      out->push_back('{');
      for (size_t c = 0; c < t.fields.size(); ++c) {
        if (c) out->push_back(',');
        AppendJsonString(t.fields[c].name, out);
        out->push_back(':');
        AppendValueJson(*a.children[c], i, out);
      }
      out->push_back('}');
      return;
    case TypeId::kList:
      out->push_back('[');
      for (int64_t k = a.ListBegin(i); k < a.ListEnd(i); ++k) {
        if (k != a.ListBegin(i)) out->push_back(',');
        AppendValueJson(*a.children[0], k, out);
      }
      out->push_back(']');
      return;
    case TypeId::kMap:
      out->push_back('[');
      for (int64_t k = a.ListBegin(i); k < a.ListEnd(i); ++k) {
        if (k != a.ListBegin(i)) out->push_back(',');
        out->append("{\"key\":");
        AppendValueJson(*a.children[0], k, out);
        out->append(",\"value\":");
        AppendValueJson(*a.children[1], k, out);
        out->push_back('}');
      }
      out->push_back(']');
      return;
  }
}

void AppendRowJson(const RecordBatch& batch, int64_t row, std::string* out) {
  out->push_back('{');
  for (size_t c = 0; c < batch.columns.size(); ++c) {
    if (c) out->push_back(',');
    AppendJsonString(batch.schema->fields[c].name, out);
    out->push_back(':');
    AppendValueJson(*batch.columns[c], row, out);
  }
  out->push_back('}');
}

namespace {

Status TypeError(const JsonValue& v, const DataType& t) {
  std::string text = v.ToString();
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return Status::InvalidArgument("expected " + t.ToString() + ", got " + text);
}

// The text of a scalar JSON value (string contents or number token).
bool ScalarText(const JsonValue& v, std::string_view* s) {
  if (v.is_string() || v.is_number()) {
    *s = v.is_string() ? v.string_value() : v.number_text();
    return true;
  }
  return false;
}

// Fraction digits 7..9 of a timestamp text, as nanoseconds (ParseTimestampMicros drops them).
int64_t SubMicroNanos(std::string_view s) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return 0;
  int64_t extra = 0;
  int digits = 0;
  for (size_t k = dot + 1; k < s.size() && s[k] >= '0' && s[k] <= '9'; ++k, ++digits) {
    if (digits >= 6 && digits < 9) extra = extra * 10 + (s[k] - '0');
  }
  for (int d = digits < 6 ? 6 : digits; d < 9; ++d) extra *= 10;
  return digits > 6 ? extra : 0;
}

template <typename T>
Status AppendInteger(const JsonValue& v, FixedBuilder* b) {
  std::string_view s;
  if (!ScalarText(v, &s)) return TypeError(v, *b->type());
  if constexpr (std::is_signed_v<T>) {
    auto x = ParseInt64(s);
    if (!x || *x < std::numeric_limits<T>::min() || *x > std::numeric_limits<T>::max())
      return TypeError(v, *b->type());
    b->Append<T>(static_cast<T>(*x));
  } else {
    auto x = ParseUInt64(s);
    if (!x || *x > std::numeric_limits<T>::max()) return TypeError(v, *b->type());
    b->Append<T>(static_cast<T>(*x));
  }
  return Status::OK();
}

Status AppendFixed(const JsonValue& v, FixedBuilder* b) {
  const DataType& t = *b->type();
  std::string_view s;
  bool scalar = ScalarText(v, &s);
  switch (t.id) {
    case TypeId::kInt8:
      return AppendInteger<int8_t>(v, b);
    case TypeId::kInt16:
      return AppendInteger<int16_t>(v, b);
    case TypeId::kInt32:
      return AppendInteger<int32_t>(v, b);
    case TypeId::kInt64:
      return AppendInteger<int64_t>(v, b);
    case TypeId::kUInt8:
      return AppendInteger<uint8_t>(v, b);
    case TypeId::kUInt16:
      return AppendInteger<uint16_t>(v, b);
    case TypeId::kUInt32:
      return AppendInteger<uint32_t>(v, b);
    case TypeId::kUInt64:
      return AppendInteger<uint64_t>(v, b);
    case TypeId::kFloat32:
    case TypeId::kFloat64: {
      auto d = scalar ? ParseDouble(s) : std::nullopt;
      if (!d) return TypeError(v, t);
      if (t.id == TypeId::kFloat32)
        b->Append<float>(static_cast<float>(*d));
      else
        b->Append<double>(*d);
      return Status::OK();
    }
    case TypeId::kDecimal: {
      if (!scalar) return TypeError(v, t);
      ASSIGN_OR_RETURN(int128_t x, ParseDecimal(s, t.precision, t.scale));
      b->Append<int128_t>(x);
      return Status::OK();
    }
    case TypeId::kDate: {
      if (v.is_number()) return AppendInteger<int32_t>(v, b);
      if (!v.is_string()) return TypeError(v, t);
      ASSIGN_OR_RETURN(int32_t d, ParseDate(s));
      b->Append<int32_t>(d);
      return Status::OK();
    }
    case TypeId::kTime: {
      int64_t value;
      if (v.is_number()) {
        auto x = ParseInt64(s);
        if (!x) return TypeError(v, t);
        value = *x;
      } else if (v.is_string()) {
        ASSIGN_OR_RETURN(int64_t us, ParseTimeMicros(s));
        value = t.unit == TimeUnit::kMillis  ? us / 1000
                : t.unit == TimeUnit::kNanos ? us * 1000
                                             : us;
      } else {
        return TypeError(v, t);
      }
      if (t.unit == TimeUnit::kMillis)
        b->Append<int32_t>(static_cast<int32_t>(value));
      else
        b->Append<int64_t>(value);
      return Status::OK();
    }
    case TypeId::kTimestamp: {
      if (v.is_number()) return AppendInteger<int64_t>(v, b);
      if (!v.is_string()) return TypeError(v, t);
      ASSIGN_OR_RETURN(int64_t us, ParseTimestampMicros(s));
      int64_t value = us;
      if (t.unit == TimeUnit::kMillis) value = us / 1000;
      if (t.unit == TimeUnit::kNanos) {
        if (__builtin_mul_overflow(us, int64_t(1000), &value)) return TypeError(v, t);
        value += SubMicroNanos(s);
      }
      b->Append<int64_t>(value);
      return Status::OK();
    }
    case TypeId::kUuid: {
      if (!v.is_string()) return TypeError(v, t);
      ASSIGN_OR_RETURN(std::string bytes, ParseUuid(s));
      b->AppendBytes(bytes.data());
      return Status::OK();
    }
    case TypeId::kFixedBinary: {
      if (!v.is_string()) return TypeError(v, t);
      ASSIGN_OR_RETURN(std::string bytes, Base64Decode(s));
      if (static_cast<int>(bytes.size()) != t.byte_width)
        return Status::InvalidArgument("expected " + std::to_string(t.byte_width) + " bytes for " +
                                       t.ToString() + ", got " + std::to_string(bytes.size()));
      b->AppendBytes(bytes.data());
      return Status::OK();
    }
    default:
      return TypeError(v, t);
  }
}

}  // namespace

Status AppendJsonValue(const JsonValue& v, ArrayBuilder* b) {
  if (v.is_null()) {
    b->AppendNull();
    return Status::OK();
  }
  const DataType& t = *b->type();
  switch (t.id) {
    case TypeId::kNull:
      return TypeError(v, t);
    case TypeId::kBool: {
      bool x;
      if (v.is_bool())
        x = v.bool_value();
      else if (v.is_string() && EqualsIgnoreCase(v.string_value(), "true"))
        x = true;
      else if (v.is_string() && EqualsIgnoreCase(v.string_value(), "false"))
        x = false;
      else
        return TypeError(v, t);
      b->As<BoolBuilder>()->Append(x);
      return Status::OK();
    }
    case TypeId::kString:
      if (v.is_string())
        b->As<BinaryBuilder>()->Append(v.string_value());
      else if (v.is_number() || v.is_bool())
        b->As<BinaryBuilder>()->Append(v.ToString());
      else
        return TypeError(v, t);
      return Status::OK();
    case TypeId::kBinary: {
      if (!v.is_string()) return TypeError(v, t);
      ASSIGN_OR_RETURN(std::string bytes, Base64Decode(v.string_value()));
      b->As<BinaryBuilder>()->Append(bytes);
      return Status::OK();
    }
    case TypeId::kStruct: {
      if (!v.is_object()) return TypeError(v, t);
      auto* sb = b->As<StructBuilder>();
      for (size_t k = 0; k < v.keys().size(); ++k) {
        bool known = false;
        for (const Field& f : t.fields) known |= f.name == v.keys()[k];
        if (!known) return Status::InvalidArgument("unknown struct field '" + v.keys()[k] + "'");
      }
      for (size_t c = 0; c < t.fields.size(); ++c) {
        const JsonValue* m = v.Find(t.fields[c].name);
        static const JsonValue kNull;
        RETURN_NOT_OK_CTX(AppendJsonValue(m ? *m : kNull, sb->child(c)), t.fields[c].name);
      }
      sb->AppendValid();
      return Status::OK();
    }
    case TypeId::kList: {
      if (!v.is_array()) return TypeError(v, t);
      auto* lb = b->As<ListBuilder>();
      for (const JsonValue& item : v.items()) RETURN_NOT_OK(AppendJsonValue(item, lb->child(0)));
      lb->CloseList();
      return Status::OK();
    }
    case TypeId::kMap: {
      auto* lb = b->As<ListBuilder>();
      if (v.is_object()) {
        for (size_t k = 0; k < v.keys().size(); ++k) {
          RETURN_NOT_OK(AppendJsonValue(JsonValue::String(v.keys()[k]), lb->child(0)));
          RETURN_NOT_OK(AppendJsonValue(v.items()[k], lb->child(1)));
        }
      } else if (v.is_array()) {
        for (const JsonValue& e : v.items()) {
          const JsonValue* key = e.Find("key");
          const JsonValue* value = e.Find("value");
          if (!key || key->is_null())
            return Status::InvalidArgument(
                "map entries must be {\"key\":…,\"value\":…} with a non-null key");
          RETURN_NOT_OK(AppendJsonValue(*key, lb->child(0)));
          static const JsonValue kNull;
          RETURN_NOT_OK(AppendJsonValue(value ? *value : kNull, lb->child(1)));
        }
      } else {
        return TypeError(v, t);
      }
      lb->CloseList();
      return Status::OK();
    }
    default:
      return AppendFixed(v, b->As<FixedBuilder>());
  }
}

Result<RecordBatch> ParseJsonLines(std::string_view text, const SchemaPtr& schema) {
  auto builders = MakeBuilders(*schema);
  int64_t line_no = 0, rows = 0;
  size_t pos = 0;
  static const JsonValue kNull;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (Trim(line).empty()) continue;
    auto where = [&](const std::string& col) {
      return "line " + std::to_string(line_no) + (col.empty() ? "" : ", column '" + col + "'");
    };
    auto parsed = ParseJson(line);
    if (!parsed.ok()) return parsed.status().WithContext(where(""));
    const JsonValue& row = *parsed;
    if (!row.is_object()) return Status::InvalidArgument(where("") + ": expected a JSON object");
    for (const std::string& key : row.keys()) {
      if (schema->FieldIndex(key) < 0)
        return Status::InvalidArgument(where("") + ": '" + key + "' is not a column of the schema");
    }
    for (size_t c = 0; c < schema->fields.size(); ++c) {
      const Field& f = schema->fields[c];
      const JsonValue* v = row.Find(f.name);
      if ((!v || v->is_null()) && !f.nullable)
        return Status::InvalidArgument(where(f.name) + ": null in a non-nullable column");
      RETURN_NOT_OK_CTX(AppendJsonValue(v ? *v : kNull, builders[c].get()), where(f.name));
    }
    ++rows;
  }
  return FinishBatch(schema, rows, &builders);
}

}  // namespace ds::columnar
