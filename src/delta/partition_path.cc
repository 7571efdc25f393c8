#include "delta/partition_path.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "util/civil_time.h"
#include "util/decimal.h"

namespace ds::delta {
namespace {

using columnar::TypeId;

constexpr char kHexUpper[] = "0123456789ABCDEF";

void AppendEscaped(unsigned char c, std::string* out) {
  out->push_back('%');
  out->push_back(kHexUpper[c >> 4]);
  out->push_back(kHexUpper[c & 0xF]);
}

bool HiveNeedsEscape(unsigned char c) {
  if (c < 0x20 || c == 0x7F) return true;
  return std::strchr("\"#%'*/:=?\\{[]^", c) != nullptr && c != 0;
}

bool PathNeedsEscape(unsigned char c) {
  if (c < 0x20 || c == 0x7F) return true;
  return std::strchr(" \"#%<>?[\\]^`{|}", c) != nullptr && c != 0;
}

}  // namespace

std::string JavaFloatingString(double value, bool is_float32) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  // Shortest round-trip digits in scientific form: "d[.ddd]e[+-]xx".
  char buf[64];
  std::to_chars_result r =
      is_float32 ? std::to_chars(buf, buf + sizeof(buf), static_cast<float>(value),
                                 std::chars_format::scientific)
                 : std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exponent = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exponent);
  std::string out = negative ? "-" : "";
  double magnitude = std::fabs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    // Plain notation with at least one fraction digit.
    if (exponent < 0) {
      out += "0.";
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out += digits;
    } else {
      size_t int_digits = static_cast<size_t>(exponent) + 1;
      if (digits.size() <= int_digits) {
        out += digits;
        out.append(int_digits - digits.size(), '0');
        out += ".0";
      } else {
        out += digits.substr(0, int_digits);
        out += '.';
        out += digits.substr(int_digits);
      }
    }
    return out;
  }
  out += digits[0];
  out += '.';
  out += digits.size() > 1 ? digits.substr(1) : "0";
  out += 'E';
  out += std::to_string(exponent);
  return out;
}

bool IsPartitionableType(const columnar::DataType& type) {
  switch (type.id) {
    case TypeId::kBool:
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kFloat32:
    case TypeId::kFloat64:
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kDecimal:
    case TypeId::kDate:
    case TypeId::kTimestamp:
      return true;
    default:
      return false;
  }
}

Result<bool> AppendPartitionValue(const columnar::Array& a, int64_t row, std::string* out) {
  if (a.IsNull(row)) return false;
  switch (a.type->id) {
    case TypeId::kString:
    case TypeId::kBinary: {
      std::string_view v = a.View(row);
      if (v.empty()) return false;
      out->append(v);
      return true;
    }
    case TypeId::kBool:
      out->append(a.BoolValue(row) ? "true" : "false");
      return true;
    case TypeId::kInt8:
      out->append(std::to_string(a.Value<int8_t>(row)));
      return true;
    case TypeId::kInt16:
      out->append(std::to_string(a.Value<int16_t>(row)));
      return true;
    case TypeId::kInt32:
      out->append(std::to_string(a.Value<int32_t>(row)));
      return true;
    case TypeId::kInt64:
      out->append(std::to_string(a.Value<int64_t>(row)));
      return true;
    case TypeId::kFloat32:
      out->append(JavaFloatingString(a.Value<float>(row), true));
      return true;
    case TypeId::kFloat64:
      out->append(JavaFloatingString(a.Value<double>(row), false));
      return true;
    case TypeId::kDecimal:
      AppendDecimal(a.DecimalValue(row), a.type->scale, out);
      return true;
    case TypeId::kDate:
      AppendDate(a.Value<int32_t>(row), out);
      return true;
    case TypeId::kTimestamp: {
      size_t start = out->size();
      AppendTimestamp(a.Value<int64_t>(row), a.type->unit, a.type->utc, out);
      if (!a.type->utc) (*out)[out->find('T', start)] = ' ';
      return true;
    }
    default:
      return Status::NotSupported("cannot partition by a column of type " + a.type->ToString());
  }
}

std::string HiveEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (HiveNeedsEscape(c)) {
      AppendEscaped(c, &out);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

void AppendPartitionDirectory(std::string_view physical_name,
                              const std::optional<std::string>& value, std::string* out) {
  out->append(HiveEscape(physical_name));
  out->push_back('=');
  out->append(value ? HiveEscape(*value) : std::string(kHiveDefaultPartition));
  out->push_back('/');
}

std::string EncodeLogPath(std::string_view relative_key) {
  std::string out;
  out.reserve(relative_key.size() + 8);
  for (char ch : relative_key) {
    auto c = static_cast<unsigned char>(ch);
    if (PathNeedsEscape(c)) {
      AppendEscaped(c, &out);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

}  // namespace ds::delta
