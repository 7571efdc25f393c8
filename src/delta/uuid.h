// Random (version 4) UUIDs for data file names, table ids and commit transaction ids.
#pragma once

#include <string>

namespace ds::delta {

// A new random UUID in canonical form ("0f8fad5b-d9cb-469f-a165-70867728950e"). 122 random
// bits from a per-thread generator seeded by std::random_device; thread-safe.
std::string NewUuid();

}  // namespace ds::delta
