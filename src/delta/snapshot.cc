#include "delta/snapshot.h"

#include "delta/table_features.h"

namespace ds::delta {

bool Snapshot::change_data_feed_enabled() const { return ChangeDataFeedEnabled(metadata_); }

bool Snapshot::in_commit_timestamps_enabled() const {
  return InCommitTimestampsEnabled(protocol_, metadata_);
}

}  // namespace ds::delta
