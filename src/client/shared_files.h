// From a sharing response to what the readers need: the table schema (with the column
// mapping of delta-format responses), download tasks for its files, and the partition values
// the data reader takes.
#pragma once

#include <string>
#include <vector>

#include "client/download_pool.h"
#include "client/sharing_client.h"
#include "delta/actions.h"
#include "delta/table_schema.h"

namespace ds::client {

// The schema of the response's metaData. Delta format: NotSupported when the protocol needs a
// reader feature deltashare lacks; the column mapping mode from the protocol and table
// properties. Parquet format: no column mapping (the server only answers parquet for tables
// that need none). Corruption from the schema parser for an unusable schemaString.
Result<delta::TableSchema> ResponseSchema(const TableResponse& response);

// A download task for `file` (its URL, size, expiry and deletion vector).
RemoteFile ToRemoteFile(const SharedFile& file, std::string key);

// The URLs of re-queried files, by RemoteFile::key.
FreshUrls FreshUrlsOf(const std::vector<RemoteFile>& files);

// partitionValues as DataFileOptions wants them (views into `values`, which must outlive
// the result).
std::vector<delta::StringPairView> PartitionValueViews(const delta::StringMap& values);

}  // namespace ds::client
