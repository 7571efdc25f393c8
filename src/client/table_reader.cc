#include "client/table_reader.h"

#include "client/shared_files.h"
#include "expr/json_predicate.h"

namespace ds::client {
namespace {

QueryParams BaseParams(const ReadOptions& o) {
  QueryParams p;
  p.json_predicate_hints = o.predicate_json;
  if (o.limit >= 0) p.limit_hint = o.limit;
  p.max_files = o.page_size;
  return p;
}

std::vector<RemoteFile> RemoteFiles(const TableResponse& response) {
  std::vector<RemoteFile> out;
  out.reserve(response.files.size());
  for (const SharedFile& f : response.files) out.push_back(ToRemoteFile(f, f.id));
  return out;
}

}  // namespace

TableReader::~TableReader() = default;

Result<std::unique_ptr<TableReader>> TableReader::Open(SharingClient* client,
                                                       const TableCoordinates& table,
                                                       ReadOptions options) {
  expr::ExprPtr predicate;
  if (options.predicate_json) {
    auto parsed = expr::ParseJsonPredicate(*options.predicate_json);
    if (!parsed.ok()) return parsed.status().WithContext("the predicate");
    predicate = std::move(parsed).value();
  }
  std::unique_ptr<TableReader> r(new TableReader());
  r->client_ = client;
  r->table_ = table;
  r->options_ = std::move(options);
  const ReadOptions& o = r->options_;

  QueryParams params = BaseParams(o);
  params.version = o.version;
  params.timestamp = o.timestamp;
  params.include_refresh_token = !o.version && !o.timestamp;
  ASSIGN_OR_RETURN(r->response_, client->QueryTableAll(table, params));
  if (r->response_.end) r->refresh_token_ = r->response_.end->refresh_token;
  // Statistics are the server's business (file skipping); dropping them keeps the file list
  // small for tables of many files and wide schemas.
  for (SharedFile& f : r->response_.files) f.action.stats.reset();

  ASSIGN_OR_RETURN(delta::TableSchema schema, ResponseSchema(r->response_));
  ASSIGN_OR_RETURN(std::vector<std::string> decode,
                   ColumnsToDecode(schema, o.columns, predicate.get()));
  ASSIGN_OR_RETURN(delta::ScanSchema scan, delta::ScanSchema::Make(schema, decode));
  r->scan_ = std::make_unique<delta::ScanSchema>(std::move(scan));
  ASSIGN_OR_RETURN(RowPipeline pipeline,
                   RowPipeline::Make(r->scan_->output_schema(), o.columns, predicate, o.limit));
  r->pipeline_ = std::move(pipeline);

  for (const SharedFile& f : r->response_.files) r->total_bytes_ += std::max<int64_t>(0, f.size());
  TableReader* self = r.get();
  r->pool_ = std::make_unique<DownloadPool>(
      client->http(), RemoteFiles(r->response_), [self] { return self->Refresh(); }, o.download);
  r->decode_ = std::make_unique<DecodeStage>(
      r->pool_.get(),
      [self](FetchedFile& fetched) -> Result<std::unique_ptr<delta::DataFileReader>> {
        const SharedFile& file = self->response_.files[fetched.index];
        delta::DataFileOptions read;
        read.batch_size = self->options_.batch_size;
        if (file.action.partition_values) {
          read.partition_values = PartitionValueViews(*file.action.partition_values);
        }
        if (!fetched.dvs.empty()) read.deleted_rows = &fetched.dvs[0];
        return delta::DataFileReader::Open(fetched.data, *self->scan_, std::move(read));
      },
      [self](const columnar::RecordBatch& b) { return self->pipeline_->Filter(b); },
      [self](size_t i) { return "file " + self->response_.files[i].id; }, o.decode_threads);
  return r;
}

Result<FreshUrls> TableReader::Refresh() {
  QueryParams params = BaseParams(options_);
  Result<TableResponse> fresh = Status::Internal("unset");
  if (!refresh_token_.empty()) {
    params.refresh_token = refresh_token_;
    fresh = client_->QueryTableAll(table_, params);
  }
  if (refresh_token_.empty() || !fresh.ok()) {
    params.refresh_token.reset();
    params.version = response_.version;
    fresh = client_->QueryTableAll(table_, params);
    if (!fresh.ok() && fresh.status().IsInvalidArgument() && !options_.version &&
        !options_.timestamp) {
      // History is not shared: the latest snapshot serves if it is still this version.
      params.version.reset();
      fresh = client_->QueryTableAll(table_, params);
    }
  }
  if (!fresh.ok()) return fresh.status().WithContext("refreshing the file URLs");
  if (fresh->version != response_.version) {
    return Status::FailedPrecondition("refreshing the file URLs: the server now serves version " +
                                      std::to_string(fresh->version) + " instead of " +
                                      std::to_string(response_.version) +
                                      " and cannot re-sign the old one (history is not shared)");
  }
  if (fresh->end && !fresh->end->refresh_token.empty()) {
    refresh_token_ = fresh->end->refresh_token;
  }
  return FreshUrlsOf(RemoteFiles(*fresh));
}

Result<std::optional<columnar::RecordBatch>> TableReader::Next() {
  while (!pipeline_->done()) {
    ASSIGN_OR_RETURN(std::optional<columnar::RecordBatch> batch, decode_->Next());
    if (!batch) return batch;
    columnar::RecordBatch out = pipeline_->Limit(std::move(*batch));
    if (out.num_rows > 0) return std::optional<columnar::RecordBatch>(std::move(out));
  }
  decode_->Cancel();
  return std::optional<columnar::RecordBatch>();
}

}  // namespace ds::client
