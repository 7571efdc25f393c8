#include "client/changes_reader.h"

#include <unordered_map>

#include "client/shared_files.h"
#include "expr/json_predicate.h"

namespace ds::client {
namespace {

constexpr std::string_view kChangeColumns[] = {"_change_type", "_commit_version",
                                               "_commit_timestamp"};

std::string TaskKey(const ChangeTask& t) {
  return std::to_string(t.version) + "/" +
         std::string(delta::FileActionKindName(t.change.action.kind)) + "/" + t.change.action.path;
}

// Builds the tasks of one commit from its file lines.
Status AddCommit(int64_t version, int64_t timestamp, std::vector<const SharedFile*>& lines,
                 ResponseFormat format, std::vector<ChangeTask>* out) {
  // The URL of each file id (a remove and an add of one file share the id).
  std::unordered_map<std::string, const SharedFile*> by_id;
  delta::CommitActions commit;
  commit.version = version;
  commit.timestamp_ms = timestamp;
  for (const SharedFile* f : lines) {
    by_id.emplace(f->id, f);
    delta::FileAction a = f->action;
    a.path = f->id;
    if (format == ResponseFormat::kParquet) a.deletion_vector.reset();
    commit.files.push_back(std::move(a));
  }
  for (delta::ChangeFile& change : delta::SelectChangeFiles(commit)) {
    const SharedFile* line = by_id.at(change.action.path);
    ChangeTask t;
    t.version = version;
    t.timestamp_ms = timestamp;
    t.remote.url = line->url();
    t.remote.size = line->size();
    t.remote.expiration_ms = line->expiration_ms;
    t.remote.label = line->id + " (version " + std::to_string(version) + ")";
    if (change.dv_pair) {
      t.remote.dvs.push_back(*change.select);
      if (change.select_minus) t.remote.dvs.push_back(*change.select_minus);
    } else if (change.exclude) {
      t.remote.dvs.push_back(*change.exclude);
    }
    t.change = std::move(change);
    t.remote.key = TaskKey(t);
    out->push_back(std::move(t));
  }
  return Status::OK();
}

std::vector<RemoteFile> RemoteFilesOf(const std::vector<ChangeTask>& tasks) {
  std::vector<RemoteFile> out;
  out.reserve(tasks.size());
  for (const ChangeTask& t : tasks) out.push_back(t.remote);
  return out;
}

}  // namespace

Result<std::vector<ChangeTask>> ChangeTasks(const TableResponse& response) {
  std::vector<ChangeTask> out;
  std::vector<const SharedFile*> commit;
  int64_t version = -1, timestamp = 0;
  for (const SharedFile& f : response.files) {
    if (!f.version || !f.timestamp_ms) {
      return Status::InvalidArgument("changes response: file " + f.id +
                                     " has no version or timestamp");
    }
    if (*f.version != version && !commit.empty()) {
      RETURN_NOT_OK(AddCommit(version, timestamp, commit, response.format, &out));
      commit.clear();
    }
    version = *f.version;
    timestamp = *f.timestamp_ms;
    commit.push_back(&f);
  }
  if (!commit.empty()) RETURN_NOT_OK(AddCommit(version, timestamp, commit, response.format, &out));
  return out;
}

ChangesReader::~ChangesReader() = default;

Result<std::unique_ptr<ChangesReader>> ChangesReader::Open(SharingClient* client,
                                                           const TableCoordinates& table,
                                                           ChangesOptions options) {
  expr::ExprPtr predicate;
  if (options.predicate_json) {
    auto parsed = expr::ParseJsonPredicate(*options.predicate_json);
    if (!parsed.ok()) return parsed.status().WithContext("the predicate");
    predicate = std::move(parsed).value();
  }
  if (!options.starting_version && !options.starting_timestamp) {
    return Status::InvalidArgument("a change feed needs a starting version or timestamp");
  }
  std::unique_ptr<ChangesReader> r(new ChangesReader());
  r->client_ = client;
  r->table_ = table;
  r->options_ = std::move(options);
  const ChangesOptions& o = r->options_;
  ChangesParams params;
  params.starting_version = o.starting_version;
  params.starting_timestamp = o.starting_timestamp;
  params.ending_version = o.ending_version;
  params.ending_timestamp = o.ending_timestamp;
  params.max_files = o.page_size;
  ASSIGN_OR_RETURN(r->response_, client->QueryChangesAll(table, params));
  ASSIGN_OR_RETURN(r->tasks_, ChangeTasks(r->response_));
  r->end_version_ = r->response_.version;
  for (const ChangeTask& t : r->tasks_) {
    r->end_version_ = std::max(r->end_version_, t.version);
    r->total_bytes_ += std::max<int64_t>(0, t.remote.size);
  }

  ASSIGN_OR_RETURN(delta::TableSchema schema, ResponseSchema(r->response_));
  ASSIGN_OR_RETURN(std::vector<std::string> decode,
                   ColumnsToDecode(schema, o.columns, predicate.get()));
  ASSIGN_OR_RETURN(delta::ScanSchema scan, delta::ChangeScanSchema(schema, decode));
  r->scan_ = std::make_unique<delta::ScanSchema>(std::move(scan));
  std::vector<std::string> keep = o.columns;
  if (!keep.empty()) {
    for (std::string_view c : kChangeColumns) keep.emplace_back(c);
  }
  ASSIGN_OR_RETURN(RowPipeline pipeline,
                   RowPipeline::Make(r->scan_->output_schema(), keep, predicate, o.limit));
  r->pipeline_ = std::move(pipeline);
  ChangesReader* self = r.get();
  r->pool_ = std::make_unique<DownloadPool>(
      client->http(), RemoteFilesOf(r->tasks_), [self] { return self->Refresh(); }, o.download);
  r->decode_ = std::make_unique<DecodeStage>(
      r->pool_.get(), [self](FetchedFile& f) { return OpenFile(self, f); },
      [self](const columnar::RecordBatch& b) { return self->pipeline_->Filter(b); },
      [self](size_t i) { return self->tasks_[i].remote.label; }, o.decode_threads);
  return r;
}

ChangesParams ChangesReader::Params() const {
  ChangesParams p;
  p.starting_version = response_.version;
  if (options_.ending_version) {
    p.ending_version = options_.ending_version;
  } else if (!tasks_.empty()) {
    p.ending_version = end_version_;
  } else {
    p.ending_timestamp = options_.ending_timestamp;
  }
  p.max_files = options_.page_size;
  return p;
}

Result<FreshUrls> ChangesReader::Refresh() {
  auto fresh = client_->QueryChangesAll(table_, Params());
  if (!fresh.ok()) return fresh.status().WithContext("refreshing the file URLs");
  ASSIGN_OR_RETURN(std::vector<ChangeTask> tasks, ChangeTasks(*fresh));
  return FreshUrlsOf(RemoteFilesOf(tasks));
}

Result<std::unique_ptr<delta::DataFileReader>> ChangesReader::OpenFile(ChangesReader* self,
                                                                       FetchedFile& fetched) {
  const ChangeTask& task = self->tasks_[fetched.index];
  const delta::ChangeFile& change = task.change;
  delta::DataFileOptions read;
  read.batch_size = self->options_.batch_size;
  if (change.action.partition_values) {
    read.partition_values = PartitionValueViews(*change.action.partition_values);
  }
  read.constants.push_back(
      change.kind == delta::ChangeFileKind::kCdc
          ? std::nullopt
          : std::optional(columnar::Scalar::MakeBytes(columnar::String(), change.change_type)));
  read.constants.push_back(columnar::Scalar::MakeInt(columnar::Int64(), task.version));
  read.constants.push_back(columnar::Scalar::MakeInt(columnar::Timestamp(TimeUnit::kMicros, true),
                                                     task.timestamp_ms * 1000));
  if (change.dv_pair) {
    if (fetched.dvs.size() > 1) fetched.dvs[0] = fetched.dvs[0].AndNot(fetched.dvs[1]);
    read.selected_rows = &fetched.dvs[0];
  } else if (!fetched.dvs.empty()) {
    read.deleted_rows = &fetched.dvs[0];
  }
  return delta::DataFileReader::Open(fetched.data, *self->scan_, std::move(read));
}

Result<std::optional<columnar::RecordBatch>> ChangesReader::Next() {
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
