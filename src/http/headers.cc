#include "http/headers.h"

#include "util/string_util.h"

namespace ds::http {

void Headers::Add(std::string_view name, std::string_view value) {
  Field f;
  f.name_offset = static_cast<uint32_t>(bytes_.size());
  f.name_size = static_cast<uint32_t>(name.size());
  bytes_.append(name);
  f.value_offset = static_cast<uint32_t>(bytes_.size());
  f.value_size = static_cast<uint32_t>(value.size());
  bytes_.append(value);
  fields_.push_back(f);
}

void Headers::Set(std::string_view name, std::string_view value) {
  Remove(name);
  Add(name, value);
}

size_t Headers::Remove(std::string_view name) {
  size_t before = fields_.size();
  std::erase_if(fields_, [&](const Field& f) {
    return EqualsIgnoreCase(View(f.name_offset, f.name_size), name);
  });
  return before - fields_.size();
}

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const Field& f : fields_) {
    if (EqualsIgnoreCase(View(f.name_offset, f.name_size), name)) {
      return View(f.value_offset, f.value_size);
    }
  }
  return std::nullopt;
}

std::vector<std::string_view> Headers::GetAll(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const Field& f : fields_) {
    if (EqualsIgnoreCase(View(f.name_offset, f.name_size), name)) {
      out.push_back(View(f.value_offset, f.value_size));
    }
  }
  return out;
}

void Headers::Clear() {
  bytes_.clear();
  fields_.clear();
}

void Headers::Reserve(size_t fields, size_t bytes) {
  fields_.reserve(fields);
  bytes_.reserve(bytes);
}

namespace {

bool IsTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

}  // namespace

bool IsValidHeaderName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool IsValidHeaderValue(std::string_view value) {
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  if (!value.empty()) {
    auto space = [](char c) { return c == ' ' || c == '\t'; };
    if (space(value.front()) || space(value.back())) return false;
  }
  return true;
}

bool HeaderListContains(std::string_view value, std::string_view token) {
  while (true) {
    size_t comma = value.find(',');
    if (EqualsIgnoreCase(Trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) return false;
    value.remove_prefix(comma + 1);
  }
}

}  // namespace ds::http
