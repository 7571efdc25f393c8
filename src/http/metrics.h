// A Prometheus metrics registry: counters, gauges and histograms with labels, rendered in the
// text exposition format 0.0.4 (what /metrics serves).
//
// Updates are lock-free and cheap from many threads: counters and histograms are striped over
// cache lines (a thread always updates "its" stripe; reads add the stripes up), so hot paths
// on different threads never share a cache line. Looking up a labeled child takes a lock, so
// hot paths look a child up once and keep the reference (children are never removed and
// their addresses are stable for the registry's lifetime).
//
// Names are fixed by code, not by input: an invalid metric or label name, a label count
// that does not match the family, or re-registering a name with a different type or labels
// is a bug and aborts (DS_CHECK). Registering the same name with the same type and labels
// again returns the existing family, so several servers can share one registry.
//
// Thread-safety: everything here may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ds::http {

namespace metrics_internal {
inline constexpr size_t kStripes = 8;
// This thread's stripe, in [0, kStripes).
size_t ThreadStripe();
}  // namespace metrics_internal

// A monotonically increasing count.
class Counter {
 public:
  void Increment(uint64_t n = 1) {
    cells_[metrics_internal::ThreadStripe()].value.fetch_add(n, std::memory_order_relaxed);
  }
  uint64_t Value() const;

 private:
  struct alignas(64) Cell {
    std::atomic<uint64_t> value{0};
  };
  std::array<Cell, metrics_internal::kStripes> cells_;
};

// A value that goes up and down (open connections, buffered bytes). Add is striped like a
// counter; Set overwrites. Use Add or Set on one gauge, not both at once.
class Gauge {
 public:
  void Add(int64_t delta) {
    cells_[metrics_internal::ThreadStripe()].value.fetch_add(delta, std::memory_order_relaxed);
  }
  void Set(int64_t value);
  int64_t Value() const;

 private:
  struct alignas(64) Cell {
    std::atomic<int64_t> value{0};
  };
  std::array<Cell, metrics_internal::kStripes> cells_;
};

// Counts observations into buckets with fixed upper bounds (plus +Inf), with their sum.
class Histogram {
 public:
  // `bounds` must be finite and strictly increasing (checked by the registry).
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Read() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  size_t stride_;  // atomics per stripe, padded to a cache line
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  struct alignas(64) Sum {
    std::atomic<double> value{0};
  };
  std::array<Sum, metrics_internal::kStripes> sums_;
};

class MetricFamilyBase {
 public:
  enum class Type : uint8_t { kCounter, kGauge, kHistogram, kCallbackGauge };
  MetricFamilyBase(std::string name, std::string help, Type type,
                   std::vector<std::string> label_names)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(type),
        label_names_(std::move(label_names)) {}
  virtual ~MetricFamilyBase() = default;

  const std::string& name() const { return name_; }
  Type type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  // Appends this family (HELP, TYPE and every sample) in the text format.
  virtual void Render(std::string* out) const = 0;

 protected:
  void RenderHeader(std::string* out) const;
  // Appends "name{l1="v1",...}" with an optional extra label (for "le").
  void RenderSeries(std::string_view suffix, const std::vector<std::string>& values,
                    std::string_view extra_label, std::string_view extra_value,
                    std::string* out) const;

  std::string name_;
  std::string help_;
  Type type_;
  std::vector<std::string> label_names_;
};

// The children of one metric name, one per distinct set of label values.
template <typename T>
class Family final : public MetricFamilyBase {
 public:
  Family(std::string name, std::string help, Type type, std::vector<std::string> label_names,
         std::function<std::unique_ptr<T>()> make)
      : MetricFamilyBase(std::move(name), std::move(help), type, std::move(label_names)),
        make_(std::move(make)) {}

  // The child for these label values (one per label name, in order), created on first use.
  // Takes a lock: keep the reference on hot paths.
  T& WithLabels(std::initializer_list<std::string_view> values) {
    return WithLabels(std::vector<std::string>(values.begin(), values.end()));
  }
  T& WithLabels(std::vector<std::string> values);
  // The only child of a family without labels.
  T& Get() { return WithLabels(std::vector<std::string>{}); }

  void Render(std::string* out) const override;

 private:
  std::function<std::unique_ptr<T>()> make_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>> children_;  // sorted: stable output
};

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // By convention counter names end in "_total".
  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(std::string name, std::string help,
                          std::vector<std::string> label_names = {});
  // `bounds`: finite, strictly increasing upper bounds (e.g. DefaultLatencyBuckets()).
  Family<Histogram>& AddHistogram(std::string name, std::string help, std::vector<double> bounds,
                                  std::vector<std::string> label_names = {});
  // A gauge read at render time (uptime, cache size). `read` must be thread-safe and cheap,
  // must not call back into the registry, and must stay valid while the registry renders;
  // registering the same name again replaces the previous callback.
  void AddCallbackGauge(std::string name, std::string help, std::function<double()> read);

  // Every family, in registration order, in the text exposition format 0.0.4.
  std::string RenderText() const;

  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  MetricFamilyBase* Find(const std::string& name, MetricFamilyBase::Type type,
                         const std::vector<std::string>& label_names);
  void Register(std::unique_ptr<MetricFamilyBase> family);

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<MetricFamilyBase>> families_;
};

// Latency buckets in seconds, from 0.5 ms to 60 s.
std::vector<double> DefaultLatencyBuckets();

// Appends a sample value as Prometheus prints it: shortest round-trip decimal, "+Inf",
// "-Inf" or "NaN".
void AppendMetricValue(double value, std::string* out);

}  // namespace ds::http
