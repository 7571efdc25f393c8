// TableReader: the rows of a shared table snapshot, batch by batch, in bounded memory.
//
//   ReadOptions options;
//   options.columns = {"id", "region"};
//   options.predicate_json = R"({"op":"equal",...})";
//   ASSIGN_OR_RETURN(auto reader, TableReader::Open(client.get(), table, options));
//   while (true) {
//     ASSIGN_OR_RETURN(auto batch, reader->Next());
//     if (!batch) break;
//     Use(*batch);
//   }
//
// Open queries the table (every page of maxFiles files; the predicate and limit go to the
// server as hints) and starts downloading files in parallel ahead of the reader (see
// download_pool.h) and decoding them on a few threads (decode_stage.h). Batches come in
// response order; files are decoded with the Delta data reader:
// physical -> logical column names, partition columns from partitionValues, deletion
// vectors, type widening; then applies the predicate exactly and the limit, and projects.
//
// Expired or refused URLs are renewed without starting over: with the query's refresh token
// (latest snapshots), else by re-querying at the same version, else (history not shared) by
// querying the latest snapshot if it is still the same version.
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
#include "delta/data_reader.h"

namespace ds::client {

struct ReadOptions {
  // Logical top-level columns in output order (empty = all, partition columns included).
  std::vector<std::string> columns;
  // A JSON predicate (protocol.md §8): a hint for the server, applied to every row here.
  std::optional<std::string> predicate_json;
  int64_t limit = -1;  // < 0: all rows
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;  // ISO 8601
  int32_t page_size = 10000;             // maxFiles per query page
  int64_t batch_size = 65536;
  DownloadOptions download;
  // Threads decoding files ahead of the reader (< 1: one per core, at most 4).
  int decode_threads = 0;
};

class TableReader final : public BatchReader {
 public:
  // Errors: the query's (SharingClient); InvalidArgument for an unparsable predicate or an
  // unknown column; NotSupported for a table needing an unsupported reader feature, or a
  // predicate that cannot be evaluated exactly on the rows.
  static Result<std::unique_ptr<TableReader>> Open(SharingClient* client,
                                                   const TableCoordinates& table,
                                                   ReadOptions options);
  ~TableReader() override;

  // The output schema (requested columns, logical names).
  const columnar::SchemaPtr& schema() const override { return pipeline_->output_schema(); }
  // The snapshot version read.
  int64_t version() const { return response_.version; }
  const TableResponse& response() const { return response_; }
  size_t num_files() const { return response_.files.size(); }
  // Sum of the data files' sizes.
  int64_t total_bytes() const { return total_bytes_; }

  // The next non-empty batch, or nullopt at the end. Errors: the download's
  // (DownloadPool::Next), the decoder's (Corruption naming the file), the predicate's.
  Result<std::optional<columnar::RecordBatch>> Next() override;

  const DownloadStats& download_stats() const { return pool_->stats(); }

 private:
  TableReader() = default;
  Result<FreshUrls> Refresh();

  SharingClient* client_ = nullptr;
  TableCoordinates table_;
  ReadOptions options_;
  TableResponse response_;
  std::string refresh_token_;
  int64_t total_bytes_ = 0;
  std::unique_ptr<delta::ScanSchema> scan_;
  std::optional<RowPipeline> pipeline_;
  std::unique_ptr<DownloadPool> pool_;
  std::unique_ptr<DecodeStage> decode_;
};

}  // namespace ds::client
