#include "sharing/protocol/capabilities.h"

#include "util/string_util.h"

namespace ds::sharing::protocol {

std::string_view FormatName(ResponseFormat format) {
  return format == ResponseFormat::kDelta ? "delta" : "parquet";
}

Capabilities ParseCapabilities(std::string_view header) {
  Capabilities caps;
  const std::string lower = ToLower(header);
  for (std::string_view segment : Split(lower, ';')) {
    const size_t eq = segment.find('=');
    if (eq == std::string_view::npos || segment.find('=', eq + 1) != std::string_view::npos) {
      continue;
    }
    const std::string_view key = Trim(segment.substr(0, eq));
    const std::string_view value = Trim(segment.substr(eq + 1));
    if (key == "responseformat") {
      for (std::string_view v : Split(value, ',')) {
        v = Trim(v);
        if (v == "parquet") {
          caps.formats.push_back(ResponseFormat::kParquet);
        } else if (v == "delta") {
          caps.formats.push_back(ResponseFormat::kDelta);
        } else if (!v.empty()) {
          caps.unknown_formats.emplace_back(v);
        }
      }
    } else if (key == "readerfeatures") {
      for (std::string_view v : Split(value, ',')) {
        v = Trim(v);
        if (!v.empty()) caps.reader_features.emplace(v);
      }
    } else if (key == "includeendstreamaction") {
      caps.include_end_stream_action = value == "true";
    } else if (key == "asyncquery") {
      caps.async_query = value == "true";
    }
  }
  return caps;
}

bool ParquetCompatible(const TableTraits& table) {
  return table.min_reader_version <= 1 && !table.deletion_vectors && !table.column_mapping;
}

namespace {

Status CheckDeltaReaderFeatures(const Capabilities& caps, const TableTraits& table) {
  std::vector<std::string> missing;
  if (table.deletion_vectors && !caps.reader_features.count("deletionvectors")) {
    missing.push_back("deletionvectors");
  }
  if (table.column_mapping && !caps.reader_features.count("columnmapping")) {
    missing.push_back("columnmapping");
  }
  if (missing.empty()) return Status::OK();
  return Status::NotSupported(
      "Unsupported Delta Table Properties: the table needs the reader features [" +
      Join(missing, ",") +
      "]; list them in readerfeatures of the delta-sharing-capabilities header");
}

}  // namespace

Result<ResponseFormat> ChooseFormat(const Capabilities& caps, const TableTraits& table) {
  if (caps.formats.empty() && !caps.unknown_formats.empty()) {
    return Status::NotSupported("unsupported responseformat '" + caps.unknown_formats.front() +
                                "': this server answers in parquet or delta");
  }
  bool want_parquet = caps.formats.empty();
  bool want_delta = false;
  for (ResponseFormat f : caps.formats) {
    (f == ResponseFormat::kParquet ? want_parquet : want_delta) = true;
  }
  if (want_parquet && ParquetCompatible(table)) return ResponseFormat::kParquet;
  if (!want_delta) {
    return Status::NotSupported(
        "the table uses Delta features (deletion vectors, column mapping or reader version " +
        std::to_string(table.min_reader_version) +
        ") that the parquet response format cannot express; request responseformat=delta");
  }
  RETURN_NOT_OK(CheckDeltaReaderFeatures(caps, table));
  return ResponseFormat::kDelta;
}

std::string FormatCapabilitiesHeader(ResponseFormat format, bool include_end_stream_action,
                                     bool async_query) {
  std::string out = "responseformat=";
  out += FormatName(format);
  if (include_end_stream_action) out += ";includeendstreamaction=true";
  if (async_query) out += ";asyncquery=true";
  return out;
}

Result<FileIdScheme> ParseFileIdHash(std::string_view header) {
  const std::string v = ToLower(Trim(header));
  if (v == "parquet") return FileIdScheme::kParquet;
  if (v == "delta") return FileIdScheme::kDelta;
  return Status::InvalidArgument("invalid fileidhash header '" + std::string(header.substr(0, 32)) +
                                 "': expected parquet or delta");
}

std::string_view FileIdSchemeName(FileIdScheme scheme) {
  return scheme == FileIdScheme::kDelta ? "delta" : "parquet";
}

}  // namespace ds::sharing::protocol
