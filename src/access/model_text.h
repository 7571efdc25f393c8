// Text forms of the access model for `deltashare admin` listings: aligned columns, one row
// per value, times to the second in UTC, nothing secret. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "access/model.h"

namespace ds::access {

// Columns separated by two spaces, each as wide as its widest cell (the header included).
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // The table, one line per row.
  std::string ToString() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// "2026-12-01T18:00:00Z".
std::string FormatTimeSeconds(int64_t ms);

// Headers and rows of the listings.
std::vector<std::string> ShareHeader();
std::vector<std::string> ShareRow(const Share& share);
std::vector<std::string> TableHeader();  // one row per table of a share (schema first)
std::vector<std::vector<std::string>> TableRows(const Share& share);
std::vector<std::string> RecipientHeader();
std::vector<std::string> RecipientRow(const Recipient& recipient);
std::vector<std::string> GrantHeader();
std::vector<std::string> GrantRow(const Grant& grant);
std::vector<std::string> TokenHeader();
std::vector<std::string> TokenRow(const TokenRecord& token, const std::string& recipient_name,
                                  int64_t now_ms);
std::vector<std::string> OAuthClientHeader();
std::vector<std::string> OAuthClientRow(const OAuthClient& client);
std::vector<std::string> KeyVersionHeader();
std::vector<std::string> KeyVersionRow(const KeyVersion& version);
std::vector<std::string> AuditHeader();
std::vector<std::string> AuditRow(const AuditRecord& record);

}  // namespace ds::access
