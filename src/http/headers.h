// Headers: an ordered list of HTTP header fields with case-insensitive name lookup, used for
// both requests and responses.
//
// All names and values live in one contiguous string, so a request's headers cost two
// allocations however many fields it has. Names keep the spelling they were added with.
//
// Thread-safety: a value type; const methods may be called from many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ds::http {

class Headers {
 public:
  // Appends a field (duplicates are kept, in order).
  void Add(std::string_view name, std::string_view value);
  // Removes every field named `name`, then appends one.
  void Set(std::string_view name, std::string_view value);
  // Removes every field named `name`; returns how many were removed.
  size_t Remove(std::string_view name);

  // The value of the first field named `name` (case-insensitive), or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Contains(std::string_view name) const { return Get(name).has_value(); }
  // Every value of fields named `name`, in order.
  std::vector<std::string_view> GetAll(std::string_view name) const;

  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  // REQUIRES: i < size().
  std::string_view name(size_t i) const {
    return View(fields_[i].name_offset, fields_[i].name_size);
  }
  std::string_view value(size_t i) const {
    return View(fields_[i].value_offset, fields_[i].value_size);
  }

  void Clear();
  // Reserves room for about `fields` fields of `bytes` total.
  void Reserve(size_t fields, size_t bytes);

 private:
  struct Field {
    uint32_t name_offset;
    uint32_t name_size;
    uint32_t value_offset;
    uint32_t value_size;
  };
  std::string_view View(uint32_t offset, uint32_t size) const {
    return std::string_view(bytes_).substr(offset, size);
  }
  std::string bytes_;
  std::vector<Field> fields_;
};

// True if `name` is a valid field name (an RFC 9110 token: 1*tchar).
bool IsValidHeaderName(std::string_view name);
// True if `value` may be sent as a field value: no CR, LF or NUL (other control characters
// except HTAB are refused too), no leading or trailing whitespace.
bool IsValidHeaderValue(std::string_view value);

// True if the comma-separated header `value` lists `token` (case-insensitive, trimmed), as
// in "Connection: keep-alive, Upgrade".
bool HeaderListContains(std::string_view value, std::string_view token);

}  // namespace ds::http
