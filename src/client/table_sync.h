// TableSync: keeps a local Delta table (DEST) in step with a shared table, one commit per run
// (`deltashare client sync`).
//
//   SyncOptions options;
//   options.keys = {"id"};                     // optional: apply changes as upserts by key
//   ASSIGN_OR_RETURN(SyncResult r, SyncTable(client.get(), {"s", "sch", "t"}, dest, options));
//
// DEST records the source version it holds in a txn action (delta.md §12.3) with appId
// "deltashare-sync", written in the same commit as the rows, and the source table's id in
// the table property deltashare.sync.sourceTableId. A run:
//
//  1. asks the source for its latest version L and metadata (GET …/metadata);
//  2. no DEST table: reads the latest snapshot and creates DEST with its rows, schema and
//     partition columns (the source's table properties are not copied; column mapping is
//     dropped, DEST uses plain names) — mode kCreated;
//  3. DEST at L (same source id, same schema): nothing to do — kUpToDate, no commit;
//  4. DEST at V < L: reads the change data feed V+1..L and applies its net effect in one
//     commit — kChanges. With `keys`, per key the last change wins (within one commit a
//     delete goes before an insert/update_postimage; update_preimage rows are ignored) and
//     the result is merged (delta/merge.h: upserts and deletes by key, only files that may
//     hold a key are read). Without keys, rows are matched on all columns as a multiset:
//     inserts and postimages count +1, deletes and preimages -1; rows with a positive net
//     count are appended, rows with a negative one are deleted from DEST by rewriting the
//     files holding them;
//  5. otherwise — the feed is refused (CDF off for the range, history not shared, versions
//     vacuumed), the source's schema changed, the source table was replaced (another id),
//     DEST does not hold rows the feed deletes, or full_refresh — replaces every row of DEST
//     by the latest snapshot — kSnapshot, with `fallback_reason` saying why.
//
// Changes are held in memory (the net effect of the feed); snapshots stream from the
// download pool to data files of DataFileWriterOptions::target_file_bytes. Data files are
// written before the commit: a run that fails or is killed leaves DEST at its previous
// version (its files are orphans for VACUUM; failed runs delete theirs), and the next run
// starts again from the version DEST records. Two syncs into one DEST at once: one commit
// wins, the other fails with FailedPrecondition (its rows would be stale) and changes nothing.
//
// Errors: FailedPrecondition when DEST is a Delta table that was not created by a sync;
// InvalidArgument for an unknown or nested key column or a change row with a null key; the
// reader's and writer's errors otherwise. Not thread-safe per DEST.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/download_pool.h"
#include "client/sharing_client.h"
#include "delta/table.h"
#include "delta/table_writer.h"

namespace ds::client {

// The appId of the txn action every sync commit writes (version = the source version).
inline constexpr std::string_view kSyncAppId = "deltashare-sync";
// DEST's table properties naming the source table (its metadata id, and share.schema.table).
inline constexpr std::string_view kSyncSourceIdProperty = "deltashare.sync.sourceTableId";
inline constexpr std::string_view kSyncSourceProperty = "deltashare.sync.source";

struct SyncOptions {
  // Key columns (top-level, primitive), unique in the source: changes are upserts/deletes by
  // key (a source with duplicate keys would end up with one row per key). Empty: full-row
  // matching (duplicate rows are kept as a multiset).
  std::vector<std::string> keys;
  // Always replace DEST by the latest snapshot.
  bool full_refresh = false;
  DownloadOptions download;
  int64_t batch_size = 65536;
  int decode_threads = 0;  // as ReadOptions::decode_threads
  delta::WriteOptions write;
  // Called when the source's files are known: "snapshot" or "changes", file count, bytes.
  std::function<void(const char* phase, int64_t files, int64_t bytes)> on_read_start;
  // Called after each batch read from the source (count so far); an error aborts the run
  // before its commit, as a crash would (tests interrupt syncs with it).
  std::function<Status(int64_t batches)> after_batch;
};

enum class SyncMode { kUpToDate, kCreated, kChanges, kSnapshot };
std::string_view SyncModeName(SyncMode mode);

struct SyncResult {
  SyncMode mode = SyncMode::kUpToDate;
  // The source version DEST held before the run (nullopt: DEST was new or not comparable).
  std::optional<int64_t> previous_version;
  // The source version DEST holds now.
  int64_t source_version = -1;
  // The DEST commit of this run (nullopt when up to date).
  std::optional<int64_t> dest_version;
  // kSnapshot after a DEST existed: why the change feed was not used.
  std::string fallback_reason;
  int64_t source_rows = 0;  // rows read from the source (snapshot rows or change rows)
  int64_t rows_inserted = 0;
  int64_t rows_updated = 0;
  int64_t rows_deleted = 0;
  int64_t files_added = 0;
  int64_t files_removed = 0;
};

// What a DEST snapshot records about its source (from the sync txn action).
struct SyncState {
  std::string source_id;  // the shared table's metadata id
  int64_t source_version = -1;
};
// nullopt when the snapshot has no sync txn action.
std::optional<SyncState> SyncStateOf(const delta::Snapshot& snapshot);

// One sync run (see the top of this file).
Result<SyncResult> SyncTable(SharingClient* client, const TableCoordinates& table,
                             const delta::TablePtr& dest, const SyncOptions& options = {});

}  // namespace ds::client
