#include "delta/changes.h"

#include <map>

#include "delta/table_features.h"
#include "util/json.h"

namespace ds::delta {
namespace {

constexpr std::string_view kChangeType = "_change_type";
constexpr std::string_view kCommitVersion = "_commit_version";
constexpr std::string_view kCommitTimestamp = "_commit_timestamp";

std::string NotRecorded(int64_t start, int64_t end, int64_t version) {
  return "change data was not recorded for version " + std::to_string(version) +
         " (delta.enableChangeDataFeed is not true there), so changes for the range [" +
         std::to_string(start) + ", " + std::to_string(end) + "] cannot be read";
}

}  // namespace

bool IsNoOpMerge(const CommitInfo& info) {
  if (!info.operation || *info.operation != "MERGE") return false;
  Result<JsonValue> parsed = ParseJson(info.json);
  if (!parsed.ok()) return false;
  const JsonValue* metrics = parsed->Find("operationMetrics");
  if (metrics == nullptr || !metrics->is_object()) return false;
  for (std::string_view key :
       {"numTargetRowsInserted", "numTargetRowsUpdated", "numTargetRowsDeleted"}) {
    const JsonValue* v = metrics->Find(key);
    if (v == nullptr) return false;
    std::string text = v->is_string() ? v->string_value() : v->is_number() ? v->number_text() : "";
    if (text != "0") return false;
  }
  return true;
}

std::vector<ChangeFile> SelectChangeFiles(const CommitActions& commit) {
  std::vector<ChangeFile> out;
  bool has_cdc = false;
  for (const FileAction& a : commit.files) has_cdc = has_cdc || a.kind == FileActionKind::kCdc;
  if (has_cdc) {
    for (const FileAction& a : commit.files) {
      if (a.kind != FileActionKind::kCdc) continue;
      ChangeFile f;
      f.kind = ChangeFileKind::kCdc;
      f.action = a;
      out.push_back(std::move(f));
    }
    return out;
  }
  if (commit.commit_info && IsNoOpMerge(*commit.commit_info)) return out;
  // A remove and an add of one path in one commit, both with dataChange, form a DV pair.
  std::map<std::string, const FileAction*> removed;
  std::map<std::string, const FileAction*> added;
  for (const FileAction& a : commit.files) {
    if (!a.data_change) continue;
    if (a.kind == FileActionKind::kRemove) removed[a.path] = &a;
    if (a.kind == FileActionKind::kAdd) added[a.path] = &a;
  }
  for (const FileAction& a : commit.files) {
    if (!a.data_change || a.kind == FileActionKind::kCdc) continue;
    const bool is_add = a.kind == FileActionKind::kAdd;
    ChangeFile f;
    f.kind = is_add ? ChangeFileKind::kAdd : ChangeFileKind::kRemove;
    f.action = a;
    f.change_type = is_add ? "insert" : "delete";
    auto& others = is_add ? removed : added;
    auto partner = others.find(a.path);
    if (partner != others.end() && (a.deletion_vector || partner->second->deletion_vector)) {
      // add(P, new) with remove(P, old): inserted rows = old \ new, deleted rows = new \ old.
      // Either way: the partner's DV minus this action's DV.
      f.dv_pair = true;
      f.select = partner->second->deletion_vector;
      f.select_minus = a.deletion_vector;
      if (!f.select) continue;  // nothing changed in this direction
    } else {
      f.exclude = a.deletion_vector;
    }
    out.push_back(std::move(f));
  }
  return out;
}

Status ForEachChange(const Table& table, int64_t start, int64_t end,
                     const std::function<Status(CommitChanges&&)>& fn) {
  if (start > end) {
    return Status::OutOfRange("the change range [" + std::to_string(start) + ", " +
                              std::to_string(end) + "] is empty (start > end)");
  }
  ASSIGN_OR_RETURN(ProtocolAndMetadata at_start, table.LoadProtocolAndMetadata(start));
  if (!ChangeDataFeedEnabled(at_start.metadata)) {
    return Status::FailedPrecondition(NotRecorded(start, end, start));
  }
  return table.ForEachCommit(start, end, [&](CommitActions&& commit) -> Status {
    if (commit.metadata && !ChangeDataFeedEnabled(*commit.metadata)) {
      return Status::FailedPrecondition(NotRecorded(start, end, commit.version));
    }
    if (commit.protocol) {
      RETURN_NOT_OK_CTX(CheckReadable(*commit.protocol),
                        table.uri() + " at version " + std::to_string(commit.version));
    }
    CommitChanges changes;
    changes.version = commit.version;
    changes.timestamp_ms = commit.timestamp_ms;
    changes.files = SelectChangeFiles(commit);
    changes.commit_info = std::move(commit.commit_info);
    changes.metadata = std::move(commit.metadata);
    changes.protocol = std::move(commit.protocol);
    return fn(std::move(changes));
  });
}

Result<ScanSchema> ChangeScanSchema(const TableSchema& schema,
                                    const std::vector<std::string>& columns) {
  ASSIGN_OR_RETURN(ScanSchema scan, ScanSchema::Make(schema, columns));
  scan.AddConstantColumn(columnar::Field(std::string(kChangeType), columnar::String(), false));
  scan.AddConstantColumn(columnar::Field(std::string(kCommitVersion), columnar::Int64(), false));
  scan.AddConstantColumn(columnar::Field(std::string(kCommitTimestamp),
                                         columnar::Timestamp(TimeUnit::kMicros, true), false));
  return scan;
}

Status ScanChanges(const Table& table, int64_t start, int64_t end, const ChangeScanOptions& options,
                   const std::function<Status(const columnar::RecordBatch&)>& fn) {
  ASSIGN_OR_RETURN(ProtocolAndMetadata at_end, table.LoadProtocolAndMetadata(end));
  ASSIGN_OR_RETURN(ColumnMappingMode mode,
                   EffectiveColumnMappingMode(at_end.protocol, at_end.metadata));
  ASSIGN_OR_RETURN(TableSchema schema, TableSchema::Make(at_end.metadata, mode));
  ASSIGN_OR_RETURN(ScanSchema scan, ChangeScanSchema(schema, options.columns));
  int64_t left = options.limit;
  return ForEachChange(table, start, end, [&](CommitChanges&& commit) -> Status {
    for (const ChangeFile& file : commit.files) {
      if (left == 0) return Status::OK();
      DataFileOptions read;
      read.batch_size = options.batch_size;
      if (file.action.partition_values) {
        for (const auto& [k, v] : *file.action.partition_values) {
          read.partition_values.push_back({k, v ? std::string_view(*v) : "", !v});
        }
      }
      read.constants.push_back(
          file.kind == ChangeFileKind::kCdc
              ? std::nullopt
              : std::optional(columnar::Scalar::MakeBytes(columnar::String(), file.change_type)));
      read.constants.push_back(columnar::Scalar::MakeInt(columnar::Int64(), commit.version));
      read.constants.push_back(columnar::Scalar::MakeInt(
          columnar::Timestamp(TimeUnit::kMicros, true), commit.timestamp_ms * 1000));
      std::optional<DeletionVector> exclude, select;
      if (file.exclude) {
        ASSIGN_OR_RETURN(exclude, table.LoadDeletionVector(*file.exclude));
        read.deleted_rows = &*exclude;
      }
      if (file.dv_pair) {
        ASSIGN_OR_RETURN(DeletionVector wanted, table.LoadDeletionVector(*file.select));
        if (file.select_minus) {
          ASSIGN_OR_RETURN(DeletionVector minus, table.LoadDeletionVector(*file.select_minus));
          wanted = wanted.AndNot(minus);
        }
        select = std::move(wanted);
        read.selected_rows = &*select;
      }
      ASSIGN_OR_RETURN(io::RandomAccessFilePtr input,
                       table.OpenFile(file.action.path, file.action.size.value_or(-1)));
      ASSIGN_OR_RETURN(auto reader, DataFileReader::Open(input, scan, std::move(read)));
      while (left != 0) {
        ASSIGN_OR_RETURN(auto batch, reader->Next());
        if (!batch) break;
        if (batch->num_rows == 0) continue;
        if (left > 0 && batch->num_rows > left) {
          ASSIGN_OR_RETURN(*batch, columnar::SliceBatch(*batch, 0, left));
        }
        if (left > 0) left -= batch->num_rows;
        RETURN_NOT_OK(fn(*batch));
      }
    }
    return Status::OK();
  });
}

}  // namespace ds::delta
