// Serialization of actions back to Delta JSON (compact, Spark's field order), for commits
// written later, the sharing server's "delta" response format and the CLI.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "delta/actions.h"

namespace ds::delta {

struct FileActionJsonOptions {
  // Replaces `path` (the sharing server puts a pre-signed URL there).
  std::optional<std::string_view> path;
  // Replaces the deletion vector descriptor (a 'u' DV sent as a 'p' URL).
  const DeletionVectorDescriptor* deletion_vector = nullptr;
};

// Appends {"add":{...}}, {"remove":{...}} or {"cdc":{...}}.
void AppendFileActionJson(const FileActionView& action, const FileActionJsonOptions& options,
                          std::string* out);
void AppendFileActionJson(const FileAction& action, const FileActionJsonOptions& options,
                          std::string* out);

// The inner objects ({"minReaderVersion":...}, {"id":...}), without the action wrapper.
std::string ProtocolJson(const Protocol& protocol);
std::string MetadataJson(const Metadata& metadata);
void AppendDeletionVectorJson(const DeletionVectorDescriptor& dv, std::string* out);
void AppendStringMapJson(const StringMap& map, std::string* out);

// A view of an owning action; `scratch` holds the map entries the view points to and must
// outlive it.
struct FileActionViewScratch {
  std::vector<StringPairView> partition_values;
  std::vector<StringPairView> tags;
};
FileActionView ViewOf(const FileAction& action, FileActionViewScratch* scratch);

}  // namespace ds::delta
