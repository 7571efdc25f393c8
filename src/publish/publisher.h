// The snapshot publisher: brings Delta tables in step with full snapshots of source data.
//
//   publish::PublishSpec spec;
//   spec.keys = {"account_id"};
//   ASSIGN_OR_RETURN(auto rows, publish::ReadSnapshotSource("accounts.parquet", nullptr));
//   ASSIGN_OR_RETURN(auto runs, publish::PublishSnapshot("/lake", "accounts", rows, spec,
//                                                        "tenant_id"));
//
// Each run is a MERGE by key of the whole snapshot (delta/merge.h with delete_missing):
// new keys are inserted, rows that differ are updated, keys the snapshot lacks are deleted,
// and files holding only unchanged rows are left alone. A snapshot equal to the table makes
// no commit, so a publisher running every few minutes adds versions only when the data
// moved. The first run creates the table with the change data feed on, so recipients can
// follow inserts, updates and deletes version by version.
//
// With a tenant column, the rows are split per tenant (tenants.h) and each tenant's rows go
// to LAKE/<tenant>/<table>. A tenant absent from a snapshot keeps its table unchanged (the
// publisher cannot tell a gone tenant from a filtered source; drop its share to retire it).
//
// Thread-safety: functions share nothing but the stores; concurrent publishers of one table
// are serialized by the Delta commit protocol (a lost race re-plans on the new snapshot).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "columnar/array.h"
#include "delta/merge.h"
#include "delta/table_writer.h"

namespace ds::publish {

struct PublishSpec {
  // Key columns (top-level, never null in the source). Required.
  std::vector<std::string> keys;
  // Partition columns of a new table; for an existing one, empty or equal to its own.
  std::vector<std::string> partition_by;
  // Extra properties of a new table (delta.enableChangeDataFeed is always set to true).
  delta::StringMap properties;
  // Description of a new table.
  std::optional<std::string> description;
};

struct PublishResult {
  bool created = false;  // this run created the table (version 0)
  std::optional<delta::CommitResult> commit;  // nullopt: unchanged, no commit
  int64_t source_rows = 0;
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t deleted = 0;
  int64_t files_added = 0;
  int64_t files_removed = 0;
  int64_t bytes_written = 0;
};

// Publishes one snapshot into `table` (created when absent). InvalidArgument for no keys, a
// key column the rows lack or that is nested, a null key (naming the row), two rows with one
// key, or --partition-by differing from an existing table's; NotSupported for a table this
// writer cannot write; the errors of delta::CreateTable / delta::MergeRows otherwise.
Result<PublishResult> PublishTable(const delta::TablePtr& table, const columnar::RecordBatch& rows,
                                   const PublishSpec& spec,
                                   const delta::WriteOptions& options = {});

struct TenantPublish {
  std::string tenant;    // "" without a tenant column
  std::string location;  // LAKE/<tenant>/<table> or LAKE/<table>
  Status status;         // the tenant's outcome; other tenants are published regardless
  PublishResult result;  // valid when status is OK
};

// The table location for a tenant ("" = none): LAKE/<tenant>/<table>, LAKE/<table>.
std::string TableLocation(const std::string& lake, const std::string& tenant,
                          const std::string& table);

// Publishes a snapshot of table `table` under `lake` (a directory or URI, delta/table_location.h),
// split by `tenant_column` when it is not empty. Returns one entry per tenant, in tenant
// order. Errors (before anything is written): InvalidArgument for a table name that is not
// 1..128 of [A-Za-z0-9_-], and the errors of SplitByTenant.
Result<std::vector<TenantPublish>> PublishSnapshot(const std::string& lake,
                                                   const std::string& table,
                                                   const columnar::RecordBatch& rows,
                                                   const PublishSpec& spec,
                                                   const std::string& tenant_column,
                                                   const delta::WriteOptions& options = {});

}  // namespace ds::publish
