// Test helper: small Delta tables with known contents for the sharing service's tests.
// Test-only.
#pragma once

#include <cstdint>
#include <filesystem>

#include "util/result.h"

namespace ds::sharing::testing {

// Commit times of the events table: version v was committed at kEventsTime0 + v * 1000 ms.
constexpr int64_t kEventsTime0 = 1'700'000'000'000;

// "events": (id long, value string, region string) partitioned by region, CDF on.
//   v0  protocol (1, 2) and metadata
//   v1  add a.parquet (region=EU, ids 1-10), b.parquet (US, 11-20), c.parquet (null, 21-30)
//   v2  remove b.parquet; add d.parquet (US, 31-40)
//   v3  an UPDATE with cdc files: cdc/u1.parquet (EU); remove a.parquet; add a2.parquet (EU)
//   v4  a MERGE that changed nothing: remove d.parquet + add d2.parquet, no cdc
//   v5  metadata: a new column `note string`; add e.parquet (EU, ids 41-50)
// Live files at v5: a2, c, d2, e. Each data file is written with a few bytes of content.
Status WriteEventsTable(const std::filesystem::path& dir);

// "plain": (id long) unpartitioned, history not needed: v0 metadata + add p0..p{n-1}.parquet
// (numRecords 10 each, ids 10i..10i+9) in one commit at kEventsTime0.
Status WritePlainTable(const std::filesystem::path& dir, int files);

}  // namespace ds::sharing::testing
