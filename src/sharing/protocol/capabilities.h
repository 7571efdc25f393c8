// The `delta-sharing-capabilities` header (protocol.md §4) and the choice of response format.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace ds::sharing::protocol {

enum class ResponseFormat { kParquet, kDelta };

std::string_view FormatName(ResponseFormat format);

struct Capabilities {
  // Requested formats in the client's order; empty when the header (or the key) is absent.
  std::vector<ResponseFormat> formats;
  // responseformat values we do not know (a request naming only unknown formats is refused).
  std::vector<std::string> unknown_formats;
  // Lower-cased Delta table-feature names the client can read ("deletionvectors", ...).
  std::set<std::string> reader_features;
  bool include_end_stream_action = false;
  bool async_query = false;
};

// Parses the header value: lower-cased, `k=v1,v2;k2=v3`, whitespace trimmed, segments that
// are not exactly `k=v` and unknown keys ignored. Never fails.
Capabilities ParseCapabilities(std::string_view header);

// What the chosen table needs from a reader, as far as format choice is concerned.
struct TableTraits {
  int32_t min_reader_version = 1;
  // Reader features the table lists (protocol readerFeatures), lower-cased.
  std::set<std::string> reader_features;
  bool deletion_vectors = false;  // delta.enableDeletionVectors is not "false", or DVs exist
  bool column_mapping = false;    // delta.columnMapping.mode is id or name
};

// True when the table can be served correctly in the parquet format (no DVs, no column
// mapping, reader version 1).
bool ParquetCompatible(const TableTraits& table);

// Picks the response format (protocol.md §4 and §15 items 21-23):
// no formats requested -> parquet; one -> that one; several -> parquet if the table allows
// it and it is listed, else delta. Errors (NotSupported = 400 UNSUPPORTED_OPERATION): only
// unknown formats requested; parquet for a table that needs delta; delta for a table using
// deletion vectors or column mapping the client did not list in readerfeatures.
Result<ResponseFormat> ChooseFormat(const Capabilities& caps, const TableTraits& table);

// The response header value: "responseformat=parquet[;includeendstreamaction=true]
// [;asyncquery=true]".
std::string FormatCapabilitiesHeader(ResponseFormat format, bool include_end_stream_action,
                                     bool async_query = false);

// The `fileidhash` request header (protocol.md §4): how file ids are derived.
// (The ids themselves: file_id.h.)
enum class FileIdScheme {
  kParquet,  // lower-case hex MD5 of the path as written in the Delta log
  kDelta,    // lower-case hex SHA-256 of the same string
};
// Trimmed, case-insensitive "parquet" | "delta"; anything else (including empty) ->
// InvalidArgument (400).
Result<FileIdScheme> ParseFileIdHash(std::string_view header);
std::string_view FileIdSchemeName(FileIdScheme scheme);

}  // namespace ds::sharing::protocol
