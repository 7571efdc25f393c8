// The protocol and metaData lines of table responses, in both formats (protocol.md §5, §6).
#pragma once

#include <optional>
#include <string>

#include "delta/actions.h"
#include "sharing/protocol/capabilities.h"
#include "sharing/protocol/responses.h"

namespace ds::sharing::service {

struct HeaderLineOptions {
  protocol::ResponseFormat format = protocol::ResponseFormat::kParquet;
  // The client listed reader features: delta format sends the table's real protocol;
  // otherwise a cleaned one (reader 1, writer min(writer, 2 if >= 7), no feature lists), as
  // the reference server does.
  bool client_listed_features = false;
  // Parquet format publishes configuration.enableChangeDataFeed only when history is shared.
  bool history_shared = false;
  protocol::MetadataExtras extras;  // version / size / numFiles beside the metadata
};

// Appends the protocol line then the metaData line.
void AppendHeaderLines(const delta::Protocol& protocol, const delta::Metadata& metadata,
                       const HeaderLineOptions& options, std::string* out);
// Only the metaData line (historical metadata in change responses).
void AppendMetadataLine(const delta::Metadata& metadata, const HeaderLineOptions& options,
                        std::string* out);
// Only the protocol line (historical protocol, delta format).
void AppendProtocolLine(const delta::Protocol& protocol, const HeaderLineOptions& options,
                        std::optional<int64_t> version, std::string* out);

}  // namespace ds::sharing::service
