#include "sharing/service/table_lines.h"

#include "delta/table_features.h"

namespace ds::sharing::service {
namespace {

protocol::StringMap Configuration(const delta::Metadata& m) {
  protocol::StringMap out;
  for (const auto& [k, v] : m.configuration) {
    if (v) out.emplace_back(k, *v);
  }
  return out;
}

protocol::MetadataValues ValuesOf(const delta::Metadata& m, const HeaderLineOptions& options) {
  protocol::MetadataValues v;
  v.id = m.id;
  v.name = m.name;
  v.description = m.description;
  v.format_provider = m.format.provider;
  for (const auto& [k, val] : m.format.options) {
    if (val) v.format_options.emplace_back(k, *val);
  }
  v.partition_columns = m.partition_columns;
  v.created_time = m.created_time;
  if (options.format == protocol::ResponseFormat::kDelta) {
    v.schema_string = m.schema_string;
    v.configuration = Configuration(m);
  } else {
    v.schema_string = protocol::ParquetSchemaString(m.schema_string);
    if (options.history_shared && delta::ChangeDataFeedEnabled(m)) {
      v.configuration = {{"enableChangeDataFeed", "true"}};
    }
  }
  return v;
}

}  // namespace

void AppendProtocolLine(const delta::Protocol& p, const HeaderLineOptions& options,
                        std::optional<int64_t> version, std::string* out) {
  if (options.format == protocol::ResponseFormat::kParquet) {
    protocol::AppendParquetProtocol(out);
    return;
  }
  protocol::ProtocolValues v;
  if (options.client_listed_features) {
    v.min_reader_version = p.min_reader_version;
    v.min_writer_version = p.min_writer_version;
    v.reader_features = p.reader_features;
    v.writer_features = p.writer_features;
  } else {
    v.min_reader_version = 1;
    v.min_writer_version = p.min_writer_version >= 7 ? 2 : p.min_writer_version;
  }
  protocol::AppendDeltaProtocol(v, version, out);
}

void AppendMetadataLine(const delta::Metadata& m, const HeaderLineOptions& options,
                        std::string* out) {
  const protocol::MetadataValues v = ValuesOf(m, options);
  if (options.format == protocol::ResponseFormat::kDelta) {
    protocol::AppendDeltaMetadata(v, options.extras, out);
  } else {
    protocol::AppendParquetMetadata(v, options.extras, out);
  }
}

void AppendHeaderLines(const delta::Protocol& p, const delta::Metadata& m,
                       const HeaderLineOptions& options, std::string* out) {
  AppendProtocolLine(p, options, std::nullopt, out);
  AppendMetadataLine(m, options, out);
}

}  // namespace ds::sharing::service
