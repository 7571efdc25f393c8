#include "objstore/s3_xml.h"

#include <pugixml.hpp>

#include "httpclient/url.h"
#include "util/civil_time.h"
#include "util/string_util.h"

namespace ds::objstore {
namespace {

bool Load(std::string_view xml, pugi::xml_document* doc) {
  return static_cast<bool>(
      doc->load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8));
}

}  // namespace

Result<ListPage> ParseListObjectsV2(std::string_view xml) {
  pugi::xml_document doc;
  if (!Load(xml, &doc)) return Status::Corruption("s3 list: reply is not well-formed XML");
  pugi::xml_node root = doc.child("ListBucketResult");
  if (!root) return Status::Corruption("s3 list: reply has no <ListBucketResult>");
  const bool url_encoded = std::string_view(root.child_value("EncodingType")) == "url";
  auto decode = [&](std::string_view text) -> Result<std::string> {
    if (!url_encoded) return std::string(text);
    auto decoded = httpclient::UriDecode(text, /*plus_is_space=*/true);
    if (!decoded.ok()) return Status::Corruption("s3 list: bad URL-encoded name");
    return decoded;
  };
  ListPage page;
  page.truncated = std::string_view(root.child_value("IsTruncated")) == "true";
  page.next_token = root.child_value("NextContinuationToken");
  if (page.next_token.empty()) page.next_token = root.child_value("NextMarker");
  for (pugi::xml_node c : root.children("Contents")) {
    ObjectMeta meta;
    ASSIGN_OR_RETURN(meta.key, decode(c.child_value("Key")));
    if (meta.key.empty()) return Status::Corruption("s3 list: <Contents> without a <Key>");
    auto size = ParseInt64(Trim(c.child_value("Size")));
    if (!size || *size < 0) {
      return Status::Corruption("s3 list: bad <Size> for '" + meta.key + "'");
    }
    meta.size = *size;
    const std::string_view modified = Trim(c.child_value("LastModified"));
    if (!modified.empty()) {
      auto micros = ParseTimestampMicros(modified);
      if (!micros.ok()) {
        return Status::Corruption("s3 list: bad <LastModified> for '" + meta.key + "'");
      }
      meta.mtime_ms = *micros / 1000;
    }
    meta.etag = StripQuotes(c.child_value("ETag"));
    page.objects.push_back(std::move(meta));
  }
  for (pugi::xml_node p : root.children("CommonPrefixes")) {
    ASSIGN_OR_RETURN(std::string prefix, decode(p.child_value("Prefix")));
    page.prefixes.push_back(std::move(prefix));
  }
  return page;
}

}  // namespace ds::objstore
