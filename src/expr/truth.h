// Three-valued results and the outcome sets both evaluators compute with.
//
// An outcome mask is the set of per-row SQL results a condition may take over a set of rows
// (a file, or one row): bit kMaskTrue, kMaskFalse, kMaskNull. The file evaluator computes a
// superset of the true set from stats; the row evaluator the exact singleton. Combining
// masks of independent operands pairwise (Kleene logic) keeps a superset, so NOT can be
// exact negation (TRUE <-> FALSE, NULL stays) without the unsoundness of negating "may
// match": NOT(x = 5) on [1,10] has mask {TRUE, FALSE}, never {FALSE}.
#pragma once

#include <cstdint>
#include <string_view>

namespace ds::expr {

// TRUE / FALSE / UNKNOWN. For one row UNKNOWN is SQL NULL. For a file: kFalse = no row can
// satisfy the condition (drop it), kTrue = every row satisfies it for certain, kUnknown =
// anything else (keep it).
enum class Truth : uint8_t { kFalse = 0, kTrue = 1, kUnknown = 2 };

std::string_view TruthName(Truth t);  // "TRUE", "FALSE", "UNKNOWN"

constexpr uint8_t kMaskTrue = 1;
constexpr uint8_t kMaskFalse = 2;
constexpr uint8_t kMaskNull = 4;
constexpr uint8_t kMaskAll = 7;

// Pairwise Kleene AND / OR over outcome sets; the empty set (no rows) absorbs.
constexpr uint8_t AndMasks(uint8_t a, uint8_t b) {
  if (a == 0 || b == 0) return 0;
  uint8_t out = 0;
  if ((a & kMaskTrue) && (b & kMaskTrue)) out |= kMaskTrue;
  if ((a | b) & kMaskFalse) out |= kMaskFalse;
  if (((a & kMaskNull) && (b & (kMaskTrue | kMaskNull))) ||
      ((b & kMaskNull) && (a & (kMaskTrue | kMaskNull)))) {
    out |= kMaskNull;
  }
  return out;
}

constexpr uint8_t OrMasks(uint8_t a, uint8_t b) {
  if (a == 0 || b == 0) return 0;
  uint8_t out = 0;
  if ((a | b) & kMaskTrue) out |= kMaskTrue;
  if ((a & kMaskFalse) && (b & kMaskFalse)) out |= kMaskFalse;
  if (((a & kMaskNull) && (b & (kMaskFalse | kMaskNull))) ||
      ((b & kMaskNull) && (a & (kMaskFalse | kMaskNull)))) {
    out |= kMaskNull;
  }
  return out;
}

constexpr uint8_t NotMask(uint8_t a) {
  return static_cast<uint8_t>((a & kMaskNull) | ((a & kMaskTrue) << 1) | ((a & kMaskFalse) >> 1));
}

// kFalse if TRUE is impossible (incl. the empty set), kTrue if TRUE is the only outcome.
constexpr Truth TruthOfMask(uint8_t m) {
  if ((m & kMaskTrue) == 0) return Truth::kFalse;
  return m == kMaskTrue ? Truth::kTrue : Truth::kUnknown;
}

}  // namespace ds::expr
