#include "publish/publisher.h"

#include <unordered_set>

#include "delta/row_keys.h"
#include "delta/table_location.h"
#include "publish/tenants.h"
#include "util/string_util.h"

namespace ds::publish {
namespace {

// Every row has a non-null, unique key.
Status CheckKeys(const columnar::RecordBatch& rows, const std::vector<std::string>& keys) {
  if (keys.empty()) return Status::InvalidArgument("publishing needs key columns (--key)");
  ASSIGN_OR_RETURN(delta::KeyEncoder encoder, delta::KeyEncoder::Make(*rows.schema, keys));
  std::unordered_set<std::string> seen;
  seen.reserve(static_cast<size_t>(rows.num_rows));
  std::string key;
  for (int64_t r = 0; r < rows.num_rows; ++r) {
    if (!encoder.Encode(rows, r, &key)) {
      return Status::InvalidArgument("snapshot row " + std::to_string(r + 1) +
                                     " has a null key " + delta::DescribeKey(rows, encoder, r));
    }
    if (!seen.insert(key).second) {
      return Status::InvalidArgument("the snapshot has several rows with key " +
                                     delta::DescribeKey(rows, encoder, r));
    }
  }
  return Status::OK();
}

Status CheckName(const std::string& table) {
  Status st = ValidateTenant(table);
  if (st.ok()) return st;
  return Status::InvalidArgument("table name '" + table +
                                 "' must be 1..128 letters, digits, '_' or '-'");
}

}  // namespace

Result<PublishResult> PublishTable(const delta::TablePtr& table, const columnar::RecordBatch& rows,
                                   const PublishSpec& spec, const delta::WriteOptions& options) {
  RETURN_NOT_OK(CheckKeys(rows, spec.keys));
  PublishResult out;
  out.source_rows = rows.num_rows;
  Result<delta::SnapshotPtr> snapshot = table->LatestSnapshot();
  if (!snapshot.ok() && !snapshot.status().IsNotFound()) return snapshot.status();
  if (!snapshot.ok()) {
    delta::CreateTableSpec create;
    create.schema = rows.schema;
    create.partition_columns = spec.partition_by;
    create.properties = spec.properties;
    create.properties.emplace_back("delta.enableChangeDataFeed", "true");
    create.description = spec.description;
    Result<delta::WriteResult> created = delta::CreateTable(table, create, {rows}, options);
    if (created.ok()) {
      out.created = true;
      out.commit = created->commit;
      out.inserted = created->rows_written;
      out.files_added = created->files_added;
      out.bytes_written = created->bytes_written;
      return out;
    }
    // Another publisher created it meanwhile: merge into theirs.
    if (!created.status().IsAlreadyExists()) return created.status();
    ASSIGN_OR_RETURN(snapshot, table->LatestSnapshot());
  }
  const std::vector<std::string>& partitions = (*snapshot)->metadata().partition_columns;
  if (!spec.partition_by.empty() && spec.partition_by != partitions) {
    return Status::InvalidArgument("the table at " + table->uri() + " is partitioned by [" +
                                   Join(partitions, ", ") + "], not [" +
                                   Join(spec.partition_by, ", ") +
                                   "]; partitioning is fixed when the table is created");
  }
  delta::MergeSpec merge;
  merge.keys = spec.keys;
  merge.delete_missing = true;
  ASSIGN_OR_RETURN(delta::MergeResult r, delta::MergeRows(table, rows, merge, options));
  out.commit = r.commit;
  out.inserted = r.inserted;
  out.updated = r.updated;
  out.deleted = r.deleted;
  out.files_added = r.files_added;
  out.files_removed = r.files_removed;
  out.bytes_written = r.bytes_written;
  return out;
}

std::string TableLocation(const std::string& lake, const std::string& tenant,
                          const std::string& table) {
  std::string base = lake;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  if (!tenant.empty()) base += "/" + tenant;
  return base + "/" + table;
}

Result<std::vector<TenantPublish>> PublishSnapshot(const std::string& lake,
                                                   const std::string& table,
                                                   const columnar::RecordBatch& rows,
                                                   const PublishSpec& spec,
                                                   const std::string& tenant_column,
                                                   const delta::WriteOptions& options) {
  RETURN_NOT_OK(CheckName(table));
  if (lake.empty()) return Status::InvalidArgument("the lake location is empty (--dest)");
  std::vector<TenantRows> groups;
  if (tenant_column.empty()) {
    groups.push_back({"", rows});
  } else {
    ASSIGN_OR_RETURN(groups, SplitByTenant(rows, tenant_column));
  }
  std::vector<TenantPublish> out;
  for (TenantRows& group : groups) {
    TenantPublish p;
    p.tenant = group.tenant;
    p.location = TableLocation(lake, group.tenant, table);
    Result<delta::TablePtr> t = delta::OpenTableAt(p.location);
    Result<PublishResult> r =
        t.ok() ? PublishTable(*t, group.rows, spec, options) : Result<PublishResult>(t.status());
    if (r.ok()) {
      p.result = std::move(*r);
    } else {
      p.status = r.status();
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace ds::publish
