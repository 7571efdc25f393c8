// Table properties the writer honours (delta.md §12): checkpoint interval and retention
// durations, with Spark's interval syntax ("interval 1 week", "7 days", "interval 2 hours
// 30 minutes").
#pragma once

#include <cstdint>
#include <string_view>

#include "delta/actions.h"

namespace ds::delta {

constexpr int64_t kDefaultCheckpointInterval = 10;
constexpr int64_t kDefaultDeletedFileRetentionMs = 7LL * 24 * 3600 * 1000;

// Milliseconds of an interval: an optional "interval" followed by one or more "<integer>
// <unit>" pairs, units microsecond(s) to week(s), case-insensitive. InvalidArgument naming
// the text otherwise (months and years are refused: they have no fixed length).
Result<int64_t> ParseIntervalMs(std::string_view text);

// delta.checkpointInterval (default 10; an unusable value counts as the default).
int64_t CheckpointInterval(const Metadata& metadata);

// delta.deletedFileRetentionDuration in ms (default one week). InvalidArgument naming the
// property when it does not parse.
Result<int64_t> DeletedFileRetentionMs(const Metadata& metadata);

}  // namespace ds::delta
