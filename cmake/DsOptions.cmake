# Every build option of deltashare, in one place.
option(DS_SANITIZE "Build with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(DS_TSAN "Build with ThreadSanitizer" OFF)
option(DS_FUZZ "Build the libFuzzer targets (needs clang)" OFF)
option(DS_WERROR "Treat warnings as errors" ON)
option(DS_BUILD_TESTS "Build the tests" ON)
option(DS_BUILD_BENCHMARKS "Build the benchmarks" ON)

set(DS_WARNINGS -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
if(DS_WERROR)
  list(APPEND DS_WARNINGS -Werror)
endif()

if(DS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
if(DS_TSAN)
  # -Wno-tsan: GCC 12 warns that TSan does not model Asio's atomic_thread_fence.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  add_link_options(-fsanitize=thread)
endif()
if(DS_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# lld links our large sanitized test binaries 3-4x faster than ld.bfd.
find_program(DS_LLD ld.lld)
if(DS_LLD)
  add_link_options(-fuse-ld=lld)
endif()

# ccache (when installed) makes rebuilds in several build folders share object files.
find_program(DS_CCACHE ccache)
if(DS_CCACHE)
  # Build folders differ only in their working directory: keep it out of the hash.
  # pch_defines/time_macros let ccache cache files built with a precompiled header.
  set(DS_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_NOHASHDIR=true
      CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime ${DS_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${DS_LAUNCHER})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${DS_LAUNCHER})
endif()
