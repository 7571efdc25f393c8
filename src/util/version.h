// The product version and the build it came from.
#pragma once

namespace ds {

extern const char kVersion[];  // "0.1.0"
extern const char kBuildId[];  // short git commit of the build, or "unknown"

}  // namespace ds
