#include "delta/table_features.h"

#include <algorithm>
#include <array>

#include "util/string_util.h"

namespace ds::delta {
namespace {

// Reader features we implement (delta.md §4, §13.1).
constexpr std::array<std::string_view, 10> kSupportedReaderFeatures = {
    "columnMapping", "deletionVectors",     "timestampNtz",         "timestampWithoutTimezone",
    "v2Checkpoint",  "typeWidening",        "typeWidening-preview", "vacuumProtocolCheck",
    "variantType",   "variantType-preview",
};

bool Listed(const std::optional<std::vector<std::string>>& list, std::string_view feature) {
  return list && std::find(list->begin(), list->end(), feature) != list->end();
}

// Features implied by legacy writer versions (each version includes the lower ones).
int LegacyWriterVersionOf(std::string_view feature) {
  if (feature == "appendOnly" || feature == "invariants") return 2;
  if (feature == "checkConstraints") return 3;
  if (feature == "changeDataFeed" || feature == "generatedColumns") return 4;
  if (feature == "columnMapping") return 5;
  if (feature == "identityColumns") return 6;
  return 0;
}

}  // namespace

std::string_view ColumnMappingModeName(ColumnMappingMode mode) {
  switch (mode) {
    case ColumnMappingMode::kNone:
      return "none";
    case ColumnMappingMode::kId:
      return "id";
    case ColumnMappingMode::kName:
      return "name";
  }
  return "none";
}

bool ProtocolSupports(const Protocol& p, std::string_view feature) {
  if (Listed(p.reader_features, feature) || Listed(p.writer_features, feature)) return true;
  if (feature == "columnMapping" && p.min_reader_version == 2) return true;
  int legacy = LegacyWriterVersionOf(feature);
  return legacy > 0 && p.min_writer_version < 7 && p.min_writer_version >= legacy;
}

Status CheckReadable(const Protocol& p) {
  if (p.min_reader_version < 1) {
    return Status::Corruption("invalid protocol: minReaderVersion " +
                              std::to_string(p.min_reader_version));
  }
  if (p.min_reader_version > 3) {
    return Status::NotSupported("table requires reader version " +
                                std::to_string(p.min_reader_version) +
                                "; deltashare supports reader versions 1 to 3");
  }
  if (p.min_reader_version < 3) return Status::OK();
  if (!p.reader_features) {
    return Status::Corruption("invalid protocol: reader version 3 without readerFeatures");
  }
  for (const std::string& f : *p.reader_features) {
    if (f == "catalogManaged" || f == "catalogOwned-preview") {
      return Status::NotSupported("table feature '" + f +
                                  "' means the table's commits are managed by a catalog; "
                                  "deltashare reads tables from storage only");
    }
    if (std::find(kSupportedReaderFeatures.begin(), kSupportedReaderFeatures.end(), f) ==
        kSupportedReaderFeatures.end()) {
      return Status::NotSupported("table requires reader feature '" + f +
                                  "', which deltashare does not support");
    }
  }
  return Status::OK();
}

Result<ColumnMappingMode> EffectiveColumnMappingMode(const Protocol& protocol,
                                                     const Metadata& metadata) {
  std::optional<std::string_view> mode = metadata.Property("delta.columnMapping.mode");
  if (!mode || !ProtocolSupports(protocol, "columnMapping")) return ColumnMappingMode::kNone;
  std::string lower = ToLower(Trim(*mode));
  if (lower == "none") return ColumnMappingMode::kNone;
  if (lower == "id") return ColumnMappingMode::kId;
  if (lower == "name") return ColumnMappingMode::kName;
  return Status::Corruption("unknown delta.columnMapping.mode '" + std::string(*mode) + "'");
}

bool ChangeDataFeedEnabled(const Metadata& metadata) {
  return metadata.PropertyIsTrue("delta.enableChangeDataFeed");
}

bool InCommitTimestampsEnabled(const Protocol& protocol, const Metadata& metadata) {
  return metadata.PropertyIsTrue("delta.enableInCommitTimestamps") &&
         ProtocolSupports(protocol, "inCommitTimestamp");
}

}  // namespace ds::delta
