#include "expr/stats_scanner.h"

#include <cstring>

namespace ds::expr {

namespace {

constexpr int kMaxDepth = 64;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ReadHex4(const char* p, const char* end, uint32_t* out) {
  if (end - p < 4) return false;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    int h = HexValue(p[i]);
    if (h < 0) return false;
    v = v * 16 + static_cast<uint32_t>(h);
  }
  *out = v;
  return true;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

inline bool IsNumberChar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

}  // namespace

StatsPaths::StatsPaths() { nodes_.emplace_back(); }

int StatsPaths::FindChild(int node, std::string_view name) const {
  for (int c : nodes_[node].children) {
    const std::string& n = nodes_[c].name;
    if (n.size() == name.size() && std::memcmp(n.data(), name.data(), name.size()) == 0) {
      return c;
    }
  }
  return -1;
}

int StatsPaths::Add(const std::vector<std::string>& path) {
  int node = 0;
  for (const std::string& part : path) {
    int child = FindChild(node, part);
    if (child < 0) {
      child = static_cast<int>(nodes_.size());
      nodes_.push_back(Node{part, -1, {}});
      nodes_[node].children.push_back(child);
    }
    node = child;
  }
  if (nodes_[node].leaf < 0) nodes_[node].leaf = num_leaves_++;
  return nodes_[node].leaf;
}

class StatsScanner {
 public:
  StatsScanner(std::string_view json, const StatsPaths& paths, ScannedStats* out,
               std::string* scratch)
      : p_(json.data()),
        end_(json.data() + json.size()),
        paths_(paths),
        out_(out),
        scratch_(scratch) {
    wanted_ = 1 + 3 * paths.num_leaves();
  }

  // Returns true on success (including an early stop once everything was captured).
  bool Run() {
    SkipWs();
    if (!Eat('{')) return false;
    SkipWs();
    if (Eat('}')) return true;
    while (true) {
      std::string_view key;
      bool escaped;
      if (!ParseString(&key, &escaped)) return false;
      SkipWs();
      if (!Eat(':')) return false;
      SkipWs();
      if (escaped) {
        if (!UnescapeJson(key, scratch_)) return false;
        key = *scratch_;
      }
      if (!TopValue(key)) return false;
      if (done_) return true;
      SkipWs();
      if (Eat(',')) {
        SkipWs();
        continue;
      }
      return Eat('}');
    }
  }

 private:
  bool TopValue(std::string_view key) {
    std::vector<StatsToken>* section = nullptr;
    if (key == "numRecords") {
      StatsToken t;
      if (!ParseScalar(&t)) return SkipValue(0);
      if (t.kind == StatsToken::Kind::kNumber && !out_->has_num_records) {
        int64_t v = 0;
        bool ok = !t.text.empty();
        for (char c : t.text) {
          if (c < '0' || c > '9' || v > (INT64_MAX - 9) / 10) {
            ok = false;
            break;
          }
          v = v * 10 + (c - '0');
        }
        if (ok) {
          out_->has_num_records = true;
          out_->num_records = v;
          Captured();
        }
      }
      return true;
    }
    if (key == "minValues") {
      section = &out_->min_values;
    } else if (key == "maxValues") {
      section = &out_->max_values;
    } else if (key == "nullCount") {
      section = &out_->null_count;
    }
    if (section == nullptr || Peek() != '{') return SkipValue(0);
    return ScanSection(0, section, 1);
  }

  // At '{' of an object whose keys are the children of trie node `node`.
  bool ScanSection(int node, std::vector<StatsToken>* section, int depth) {
    if (depth > kMaxDepth) return false;
    ++p_;
    SkipWs();
    if (Eat('}')) return true;
    while (true) {
      std::string_view key;
      bool escaped;
      if (!ParseString(&key, &escaped)) return false;
      SkipWs();
      if (!Eat(':')) return false;
      SkipWs();
      if (escaped) {
        if (!UnescapeJson(key, scratch_)) return false;
        key = *scratch_;
      }
      int child = paths_.FindChild(node, key);
      if (child < 0) {
        if (!SkipValue(depth)) return false;
      } else if (int leaf = paths_.nodes_[child].leaf; leaf >= 0) {
        StatsToken t;
        if (Peek() == '{' || Peek() == '[') {
          t.kind = StatsToken::Kind::kOther;
          if (!SkipValue(depth)) return false;
        } else if (!ParseScalar(&t)) {
          return false;
        }
        StatsToken& slot = (*section)[leaf];
        if (slot.kind == StatsToken::Kind::kAbsent) {
          slot = t;
          Captured();
          if (done_) return true;
        }
      } else if (Peek() == '{') {
        if (!ScanSection(child, section, depth + 1)) return false;
        if (done_) return true;
      } else if (!SkipValue(depth)) {
        return false;
      }
      SkipWs();
      if (Eat(',')) {
        SkipWs();
        continue;
      }
      return Eat('}');
    }
  }

  void Captured() {
    if (++captured_ == wanted_) done_ = true;
  }

  char Peek() const { return p_ < end_ ? *p_ : '\0'; }
  bool Eat(char c) {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  void SkipWs() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  // At '"'. Validates escapes; control characters are refused.
  bool ParseString(std::string_view* content, bool* escaped) {
    if (!Eat('"')) return false;
    const char* start = p_;
    *escaped = false;
    while (p_ < end_) {
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        *content = std::string_view(start, static_cast<size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c == '\\') {
        *escaped = true;
        if (end_ - p_ < 2) return false;
        char e = p_[1];
        if (e == 'u') {
          uint32_t cp;
          if (!ReadHex4(p_ + 2, end_, &cp)) return false;
          p_ += 6;
          continue;
        }
        if (std::strchr("\"\\/bfnrt", e) == nullptr || e == '\0') return false;
        p_ += 2;
        continue;
      }
      if (c < 0x20) return false;
      ++p_;
    }
    return false;
  }

  bool ParseLiteral(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  // A string, number, true, false or null (numbers leniently: NaN/Infinity tokens too).
  bool ParseScalar(StatsToken* t) {
    char c = Peek();
    if (c == '"') {
      t->kind = StatsToken::Kind::kString;
      return ParseString(&t->text, &t->escaped);
    }
    if (c == 't') {
      t->kind = StatsToken::Kind::kTrue;
      return ParseLiteral("true");
    }
    if (c == 'f') {
      t->kind = StatsToken::Kind::kFalse;
      return ParseLiteral("false");
    }
    if (c == 'n') {
      t->kind = StatsToken::Kind::kNull;
      return ParseLiteral("null");
    }
    const char* start = p_;
    while (p_ < end_ && IsNumberChar(*p_)) ++p_;
    if (p_ == start) return false;
    t->kind = StatsToken::Kind::kNumber;
    t->text = std::string_view(start, static_cast<size_t>(p_ - start));
    return true;
  }

  bool SkipValue(int depth) {
    char c = Peek();
    if (c == '{' || c == '[') {
      if (depth >= kMaxDepth) return false;
      char close = c == '{' ? '}' : ']';
      ++p_;
      SkipWs();
      if (Eat(close)) return true;
      while (true) {
        if (close == '}') {
          std::string_view key;
          bool escaped;
          if (!ParseString(&key, &escaped)) return false;
          SkipWs();
          if (!Eat(':')) return false;
          SkipWs();
        }
        if (!SkipValue(depth + 1)) return false;
        SkipWs();
        if (Eat(',')) {
          SkipWs();
          continue;
        }
        return Eat(close);
      }
    }
    StatsToken ignored;
    return ParseScalar(&ignored);
  }

  const char* p_;
  const char* end_;
  const StatsPaths& paths_;
  ScannedStats* out_;
  std::string* scratch_;
  int wanted_ = 0;
  int captured_ = 0;
  bool done_ = false;
};

bool ScanStats(std::string_view json, const StatsPaths& paths, ScannedStats* out,
               std::string* scratch) {
  size_t n = static_cast<size_t>(paths.num_leaves());
  out->has_num_records = false;
  out->num_records = 0;
  out->min_values.assign(n, StatsToken());
  out->max_values.assign(n, StatsToken());
  out->null_count.assign(n, StatsToken());
  if (StatsScanner(json, paths, out, scratch).Run()) return true;
  out->has_num_records = false;
  out->min_values.assign(n, StatsToken());
  out->max_values.assign(n, StatsToken());
  out->null_count.assign(n, StatsToken());
  return false;
}

bool UnescapeJson(std::string_view raw, std::string* out) {
  out->clear();
  const char* p = raw.data();
  const char* end = p + raw.size();
  while (p < end) {
    const char* bs = static_cast<const char*>(std::memchr(p, '\\', static_cast<size_t>(end - p)));
    if (bs == nullptr) {
      out->append(p, static_cast<size_t>(end - p));
      break;
    }
    out->append(p, static_cast<size_t>(bs - p));
    p = bs;
    if (end - p < 2) return false;
    char e = p[1];
    p += 2;
    switch (e) {
      case '"':
      case '\\':
      case '/':
        out->push_back(e);
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'u': {
        uint32_t cp;
        if (!ReadHex4(p, end, &cp)) return false;
        p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo;
          if (end - p >= 6 && p[0] == '\\' && p[1] == 'u' && ReadHex4(p + 2, end, &lo) &&
              lo >= 0xDC00 && lo <= 0xDFFF) {
            p += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        AppendUtf8(cp, out);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

}  // namespace ds::expr
