// DecodeStage: decodes downloaded files on a few threads ahead of the reader, so decoding uses
// every core while the reader consumes batches in file order.
//
// Each decoder thread takes the next file from the DownloadPool (files are taken in index
// order), opens it with the opener, and pushes its batches, transformed (filter + projection,
// which must be thread-safe), into that file's queue; it waits while the queue holds
// `queue_batches` batches. Next returns the batches of file 0, then of file 1, ... So memory is
// bounded by threads x queue_batches decoded batches plus the download window.
//
// Thread-safety: Next and Cancel are for one consumer thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "client/download_pool.h"
#include "columnar/array.h"
#include "delta/data_reader.h"

namespace ds::client {

class DecodeStage {
 public:
  // Opens a downloaded file. It may keep derived state in `file` (e.g. replace its deletion
  // vectors): the file outlives the returned reader.
  using Opener = std::function<Result<std::unique_ptr<delta::DataFileReader>>(FetchedFile& file)>;
  // Filters and projects one decoded batch; called from several threads at once.
  using Transform = std::function<Result<columnar::RecordBatch>(const columnar::RecordBatch&)>;
  // Names file `index` in error messages.
  using Label = std::function<std::string(size_t index)>;

  // Starts the threads (`threads` < 1: one per core, at most 4). `pool` must outlive the
  // stage.
  DecodeStage(DownloadPool* pool, Opener open, Transform transform, Label label, int threads,
              int queue_batches = 4);
  ~DecodeStage();
  DecodeStage(const DecodeStage&) = delete;
  DecodeStage& operator=(const DecodeStage&) = delete;

  // The next non-empty batch in file order, or nullopt after the last file. Errors: the
  // download's, the opener's or decoder's (with the file's label), the transform's.
  Result<std::optional<columnar::RecordBatch>> Next();
  // Stops decoding and downloading (idempotent).
  void Cancel();

 private:
  struct FileQueue {
    std::vector<columnar::RecordBatch> batches;  // FIFO: taken from `head`
    size_t head = 0;
    bool done = false;
    Status error;
  };
  void Work();
  // Pushes a batch (waiting for room); false when cancelled.
  bool Push(size_t index, columnar::RecordBatch batch);
  void Finish(size_t index, Status status);

  DownloadPool* pool_;
  Opener open_;
  Transform transform_;
  Label label_;
  size_t queue_batches_;

  std::mutex take_mu_;  // serializes pool_->Next (files are taken in order)
  size_t next_take_ = 0;
  bool exhausted_ = false;

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<size_t, FileQueue> queues_;  // files taken by a decoder and not yet consumed
  size_t next_read_ = 0;
  std::optional<size_t> end_;  // the number of files, once the pool ran out
  bool cancelled_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ds::client
