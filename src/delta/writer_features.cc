#include "delta/writer_features.h"

#include <algorithm>
#include <array>

#include "delta/table_features.h"
#include "util/string_util.h"

namespace ds::delta {
namespace {

// Writer features whose rules deltashare follows (or that impose nothing on a writer that
// does not use them).
constexpr std::array<std::string_view, 17> kWritableFeatures = {
    "appendOnly",          "invariants",    "checkConstraints",     "changeDataFeed",
    "generatedColumns",    "columnMapping", "identityColumns",      "deletionVectors",
    "timestampNtz",        "typeWidening",  "typeWidening-preview", "domainMetadata",
    "vacuumProtocolCheck", "v2Checkpoint",  "inCommitTimestamp",    "checkpointProtection",
    "variantType",
};

bool Contains(const std::optional<std::vector<std::string>>& list, std::string_view name) {
  return list && std::find(list->begin(), list->end(), name) != list->end();
}

// The writer features legacy writer versions imply, lowest version first.
std::vector<std::string> LegacyWriterFeatures(int32_t writer_version) {
  std::vector<std::string> out;
  if (writer_version >= 2) out.insert(out.end(), {"appendOnly", "invariants"});
  if (writer_version >= 3) out.push_back("checkConstraints");
  if (writer_version >= 4) out.insert(out.end(), {"changeDataFeed", "generatedColumns"});
  if (writer_version >= 5) out.push_back("columnMapping");
  if (writer_version >= 6) out.push_back("identityColumns");
  return out;
}

Status Unsupported(std::string_view feature, std::string_view why) {
  return Status::NotSupported("table uses writer feature '" + std::string(feature) + "' (" +
                              std::string(why) + "), which deltashare cannot write");
}

}  // namespace

bool AppendOnly(const Metadata& metadata) { return metadata.PropertyIsTrue("delta.appendOnly"); }

Status CheckWritable(const Protocol& protocol, const Metadata& metadata) {
  RETURN_NOT_OK(CheckReadable(protocol));
  if (protocol.min_writer_version > 7 || protocol.min_writer_version < 1) {
    return Status::NotSupported("table requires writer version " +
                                std::to_string(protocol.min_writer_version) +
                                "; deltashare writes versions 1 to 7");
  }
  if (protocol.min_writer_version == 7) {
    if (!protocol.writer_features) {
      return Status::Corruption("invalid protocol: writer version 7 without writerFeatures");
    }
    for (const std::string& f : *protocol.writer_features) {
      if (std::find(kWritableFeatures.begin(), kWritableFeatures.end(), f) ==
          kWritableFeatures.end()) {
        return Status::NotSupported("table requires writer feature '" + f +
                                    "', which deltashare cannot write");
      }
    }
  }
  const std::string& schema = metadata.schema_string;
  if (ProtocolSupports(protocol, "invariants") &&
      schema.find("\"delta.invariants\"") != std::string::npos) {
    return Unsupported("invariants", "a column has delta.invariants");
  }
  if (ProtocolSupports(protocol, "generatedColumns") &&
      schema.find("\"delta.generationExpression\"") != std::string::npos) {
    return Unsupported("generatedColumns", "a column has a generation expression");
  }
  if (ProtocolSupports(protocol, "identityColumns") &&
      schema.find("\"delta.identity.") != std::string::npos) {
    return Unsupported("identityColumns", "a column is an identity column");
  }
  if (ProtocolSupports(protocol, "checkConstraints")) {
    for (const auto& [key, value] : metadata.configuration) {
      if (StartsWith(key, "delta.constraints.")) {
        return Unsupported("checkConstraints", "CHECK constraint " + key.substr(18));
      }
    }
  }
  return Status::OK();
}

Protocol WithFeature(const Protocol& protocol, std::string_view feature, bool reader_feature) {
  if (ProtocolSupports(protocol, feature) && (!reader_feature || protocol.min_reader_version < 3 ||
                                              Contains(protocol.reader_features, feature))) {
    return protocol;
  }
  Protocol out = protocol;
  if (out.min_writer_version < 7) {
    out.writer_features = LegacyWriterFeatures(out.min_writer_version);
    out.min_writer_version = 7;
  }
  if (!out.writer_features) out.writer_features.emplace();
  if (reader_feature && out.min_reader_version < 3) {
    out.reader_features.emplace();
    if (out.min_reader_version == 2) out.reader_features->push_back("columnMapping");
    out.min_reader_version = 3;
  }
  if (reader_feature && !Contains(out.reader_features, feature)) {
    out.reader_features->emplace_back(feature);
  }
  if (!Contains(out.writer_features, feature)) out.writer_features->emplace_back(feature);
  return out;
}

Result<Protocol> ProtocolForNewTable(const Metadata& metadata) {
  if (auto mode = metadata.Property("delta.columnMapping.mode");
      mode && ToLower(Trim(*mode)) != "none") {
    return Status::NotSupported(
        "deltashare does not create column-mapped tables (delta.columnMapping.mode)");
  }
  for (const auto& [key, value] : metadata.configuration) {
    if (StartsWith(key, "delta.feature.") || key == "delta.minReaderVersion" ||
        key == "delta.minWriterVersion") {
      return Status::NotSupported("table property '" + key +
                                  "': deltashare chooses the protocol of new tables itself");
    }
  }
  Protocol p;
  p.min_reader_version = 1;
  p.min_writer_version = ChangeDataFeedEnabled(metadata) ? 4 : 2;
  if (metadata.PropertyIsTrue("delta.enableInCommitTimestamps")) {
    p = WithFeature(p, "inCommitTimestamp", false);
  }
  if (metadata.schema_string.find("\"timestamp_ntz\"") != std::string::npos) {
    p = WithFeature(p, "timestampNtz", true);
  }
  if (metadata.PropertyIsTrue("delta.enableTypeWidening")) {
    p = WithFeature(p, "typeWidening", true);
  }
  RETURN_NOT_OK(CheckWritable(p, metadata));
  return p;
}

}  // namespace ds::delta
