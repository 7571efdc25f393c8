#include "objstore/azure_xml.h"

#include <pugixml.hpp>

#include "httpclient/http_date.h"
#include "httpclient/url.h"
#include "objstore/cloud_common.h"
#include "util/string_util.h"

namespace ds::objstore {
namespace {

Result<std::string> NameOf(pugi::xml_node entry) {
  pugi::xml_node name = entry.child("Name");
  std::string text = name.child_value();
  if (std::string_view(name.attribute("Encoded").value()) == "true") {
    auto decoded = httpclient::UriDecode(text);
    if (!decoded.ok()) return Status::Corruption("azure list: bad encoded blob name");
    text = std::move(decoded).value();
  }
  return text;
}

}  // namespace

Result<AzureListPage> ParseAzureBlobList(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8)) {
    return Status::Corruption("azure list: reply is not well-formed XML");
  }
  pugi::xml_node root = doc.child("EnumerationResults");
  if (!root) return Status::Corruption("azure list: reply has no <EnumerationResults>");
  AzureListPage page;
  page.next_marker = root.child_value("NextMarker");
  pugi::xml_node blobs = root.child("Blobs");
  for (pugi::xml_node b : blobs.children("Blob")) {
    ObjectMeta meta;
    ASSIGN_OR_RETURN(meta.key, NameOf(b));
    if (meta.key.empty()) return Status::Corruption("azure list: <Blob> without a <Name>");
    pugi::xml_node props = b.child("Properties");
    if (EqualsIgnoreCase(b.child("Metadata").child_value("hdi_isfolder"), "true") ||
        std::string_view(props.child_value("ResourceType")) == "directory") {
      continue;
    }
    auto size = ParseInt64(Trim(props.child_value("Content-Length")));
    if (!size || *size < 0) {
      return Status::Corruption("azure list: bad Content-Length for '" + meta.key + "'");
    }
    meta.size = *size;
    const std::string_view modified = Trim(props.child_value("Last-Modified"));
    if (!modified.empty()) {
      auto ms = httpclient::ParseHttpDate(modified);
      if (!ms.ok()) {
        return Status::Corruption("azure list: bad Last-Modified for '" + meta.key + "'");
      }
      meta.mtime_ms = *ms;
    }
    meta.etag = StripQuotes(props.child_value("Etag"));
    page.objects.push_back(std::move(meta));
  }
  for (pugi::xml_node p : blobs.children("BlobPrefix")) {
    ASSIGN_OR_RETURN(std::string name, NameOf(p));
    page.prefixes.push_back(std::move(name));
  }
  return page;
}

}  // namespace ds::objstore
