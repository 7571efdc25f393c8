// Invariant checks. DS_CHECK is always on; DS_DCHECK only in debug builds. A failed check is
// a bug in deltashare, never a reaction to bad input: untrusted bytes produce a Status.
#pragma once

#include <cstdio>
#include <cstdlib>

#define DS_CHECK(cond)                                                              \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (false)

#ifdef NDEBUG
#define DS_DCHECK(cond) \
  do {                  \
  } while (false && (cond))
#else
#define DS_DCHECK(cond) DS_CHECK(cond)
#endif
