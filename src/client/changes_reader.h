// ChangesReader: the change data feed of a shared table (GET …/changes, protocol.md §10) as
// rows with _change_type, _commit_version and _commit_timestamp, batch by batch, in commit
// order and bounded memory.
//
// Per commit, the rows come from its cdc files when it has any (their _change_type column
// says insert, delete, update_preimage or update_postimage), else from its added files
// (insert) and removed files (delete). In delta-format responses, a remove and an add of the
// same file in one commit that differ in their deletion vectors (a DELETE or UPDATE on a
// table with deletion vectors) yield only the rows whose deletion state changed, as in the
// Delta kernel. Downloads, URL refresh (re-querying the same version range) and predicate
// and limit handling are those of TableReader.
//
// Thread-safety: one thread uses a reader; the client must outlive it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/batch_reader.h"
#include "client/decode_stage.h"
#include "client/download_pool.h"
#include "client/row_pipeline.h"
#include "client/sharing_client.h"
#include "delta/changes.h"
#include "delta/data_reader.h"

namespace ds::client {

struct ChangesOptions {
  // The version range (inclusive); one start is required, the end defaults to the latest.
  std::optional<int64_t> starting_version;
  std::optional<std::string> starting_timestamp;
  std::optional<int64_t> ending_version;
  std::optional<std::string> ending_timestamp;
  // Table columns in output order (empty = all); the three change columns always follow.
  std::vector<std::string> columns;
  std::optional<std::string> predicate_json;  // applied to the rows here only
  int64_t limit = -1;
  int32_t page_size = 10000;
  int64_t batch_size = 65536;
  DownloadOptions download;
  int decode_threads = 0;  // as ReadOptions::decode_threads
};

// One file of the feed and the rows of it to read.
struct ChangeTask {
  delta::ChangeFile change;  // action.path holds the file id; the URL is in `remote`
  int64_t version = 0;
  int64_t timestamp_ms = 0;
  RemoteFile remote;  // dvs: [exclude] or [select, select_minus?]
};

// The tasks of a changes response in commit order. InvalidArgument for a file line without
// version or timestamp.
Result<std::vector<ChangeTask>> ChangeTasks(const TableResponse& response);

class ChangesReader final : public BatchReader {
 public:
  // Errors: the changes query's (InvalidArgument when CDF is not enabled for the range or the
  // range is invalid, NotFound for an unknown table); as TableReader::Open otherwise.
  static Result<std::unique_ptr<ChangesReader>> Open(SharingClient* client,
                                                     const TableCoordinates& table,
                                                     ChangesOptions options);
  ~ChangesReader() override;

  const columnar::SchemaPtr& schema() const override { return pipeline_->output_schema(); }
  // The first version of the range (Delta-Table-Version).
  int64_t start_version() const { return response_.version; }
  // The last version with changes in the response (start_version when there are none).
  int64_t end_version() const { return end_version_; }
  size_t num_files() const { return tasks_.size(); }
  int64_t total_bytes() const { return total_bytes_; }
  const TableResponse& response() const { return response_; }

  Result<std::optional<columnar::RecordBatch>> Next() override;
  const DownloadStats& download_stats() const { return pool_->stats(); }

 private:
  ChangesReader() = default;
  Result<FreshUrls> Refresh();
  ChangesParams Params() const;
  static Result<std::unique_ptr<delta::DataFileReader>> OpenFile(ChangesReader* self,
                                                                 FetchedFile& fetched);

  SharingClient* client_ = nullptr;
  TableCoordinates table_;
  ChangesOptions options_;
  TableResponse response_;
  std::vector<ChangeTask> tasks_;
  int64_t end_version_ = 0;
  int64_t total_bytes_ = 0;
  std::unique_ptr<delta::ScanSchema> scan_;
  std::optional<RowPipeline> pipeline_;
  std::unique_ptr<DownloadPool> pool_;
  std::unique_ptr<DecodeStage> decode_;
};

}  // namespace ds::client
