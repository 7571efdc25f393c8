#include "access/names.h"

#include "util/string_util.h"

namespace ds::access {

std::string_view NameKindName(NameKind kind) {
  switch (kind) {
    case NameKind::kShare:
      return "share";
    case NameKind::kSchema:
      return "schema";
    case NameKind::kTable:
      return "table";
    case NameKind::kRecipient:
      return "recipient";
  }
  return "name";
}

namespace {

// Number of code points of valid UTF-8 text.
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string QuoteName(std::string_view name) {
  constexpr size_t kShown = 64;
  std::string out = "'";
  for (unsigned char c : name.substr(0, kShown)) {
    if (c < 0x20 || c == 0x7F) {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (name.size() > kShown) out += "...";
  return out + "'";
}

Status ValidateName(NameKind kind, std::string_view name) {
  std::string what = std::string(NameKindName(kind)) + " name";
  if (name.empty()) return Status::InvalidArgument(what + " is empty");
  if (!IsValidUtf8(name)) return Status::InvalidArgument(what + " is not valid UTF-8");
  if (CodePoints(name) > 255) {
    return Status::InvalidArgument(what + " " + QuoteName(name) + " is longer than 255 characters");
  }
  const bool dots_allowed = kind == NameKind::kShare || kind == NameKind::kRecipient;
  for (unsigned char c : name) {
    const char* problem = nullptr;
    if (c == ' ') {
      problem = "a space";
    } else if (c == '/') {
      problem = "'/'";
    } else if (c < 0x20 || c == 0x7F) {
      problem = "a control character";
    } else if (c == '.' && !dots_allowed) {
      problem = "'.'";
    }
    if (problem)
      return Status::InvalidArgument(what + " " + QuoteName(name) + " contains " + problem);
  }
  return Status::OK();
}

std::string NotFoundMessageFor(NameKind kind, std::string_view name) {
  return std::string(NameKindName(kind)) + " " + QuoteName(name) + " does not exist";
}

std::string NameKey(std::string_view name) { return ToLower(name); }

bool SameName(std::string_view a, std::string_view b) { return EqualsIgnoreCase(a, b); }

}  // namespace ds::access
