// BatchReader: a stream of record batches with a fixed schema — what TableReader and
// ChangesReader produce and what the output sinks and the Arrow stream exporter consume.
#pragma once

#include <optional>

#include "columnar/array.h"

namespace ds::client {

class BatchReader {
 public:
  virtual ~BatchReader() = default;
  // Every batch has this schema.
  virtual const columnar::SchemaPtr& schema() const = 0;
  // The next batch (never empty), or nullopt at the end; after an error, further calls may
  // return the same error.
  virtual Result<std::optional<columnar::RecordBatch>> Next() = 0;
};

}  // namespace ds::client
