// Parser of Azure Blob "List Blobs" replies (<EnumerationResults>). The bytes are untrusted;
// malformed input is an error, never a crash. Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "objstore/object_store.h"

namespace ds::objstore {

struct AzureListPage {
  std::vector<ObjectMeta> objects;    // <Blob> entries that are files, in document order
  std::vector<std::string> prefixes;  // <BlobPrefix><Name>
  std::string next_marker;            // <NextMarker>; empty on the last page
};

// Directory entries of hierarchical-namespace (ADLS Gen2) accounts — blobs with metadata
// hdi_isfolder=true or ResourceType "directory" — are skipped. Names marked
// Encoded="true" are percent-decoded. Corruption for malformed XML, another root, a blob
// without a name, or a bad Content-Length / Last-Modified.
Result<AzureListPage> ParseAzureBlobList(std::string_view xml);

}  // namespace ds::objstore
