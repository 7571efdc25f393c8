// Parser of S3-style ListObjectsV2 replies (also what GCS's XML API returns). The bytes are
// untrusted; malformed input is an error, never a crash. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "objstore/cloud_common.h"
#include "objstore/object_store.h"

namespace ds::objstore {

struct ListPage {
  std::vector<ObjectMeta> objects;    // <Contents> in document order
  std::vector<std::string> prefixes;  // <CommonPrefixes><Prefix>
  bool truncated = false;             // <IsTruncated>true
  std::string next_token;             // <NextContinuationToken> (or <NextMarker>)
};

// Parses a <ListBucketResult>. Keys and prefixes are URL-decoded when the reply says
// <EncodingType>url</EncodingType>. Corruption for malformed XML, another root element,
// a missing or empty <Key>, or a bad <Size> / <LastModified>.
Result<ListPage> ParseListObjectsV2(std::string_view xml);

}  // namespace ds::objstore
