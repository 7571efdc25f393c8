#include "http/metrics.h"

#include <charconv>
#include <cmath>

#include "util/check.h"

namespace ds::http {
namespace metrics_internal {

size_t ThreadStripe() {
  static std::atomic<size_t> next{0};
  thread_local size_t stripe = next.fetch_add(1, std::memory_order_relaxed) % kStripes;
  return stripe;
}

}  // namespace metrics_internal

namespace {

using metrics_internal::kStripes;

bool IsValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || name.substr(0, 2) == "__") return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

void AppendEscaped(std::string_view s, bool escape_quote, std::string* out) {
  for (char c : s) {
    if (c == '\\') {
      out->append("\\\\");
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '"' && escape_quote) {
      out->append("\\\"");
    } else {
      out->push_back(c);
    }
  }
}

void AppendUInt(uint64_t v, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

std::string_view TypeName(MetricFamilyBase::Type type) {
  switch (type) {
    case MetricFamilyBase::Type::kCounter:
      return "counter";
    case MetricFamilyBase::Type::kHistogram:
      return "histogram";
    case MetricFamilyBase::Type::kGauge:
    case MetricFamilyBase::Type::kCallbackGauge:
      return "gauge";
  }
  return "untyped";
}

class CallbackGaugeFamily final : public MetricFamilyBase {
 public:
  CallbackGaugeFamily(std::string name, std::string help, std::function<double()> read)
      : MetricFamilyBase(std::move(name), std::move(help), Type::kCallbackGauge, {}),
        read_(std::move(read)) {}
  // Called with the registry lock held, like Render.
  void set_read(std::function<double()> read) { read_ = std::move(read); }
  void Render(std::string* out) const override {
    RenderHeader(out);
    RenderSeries("", {}, {}, {}, out);
    out->push_back(' ');
    AppendMetricValue(read_(), out);
    out->push_back('\n');
  }

 private:
  std::function<double()> read_;
};

}  // namespace

void AppendMetricValue(double value, std::string* out) {
  if (std::isnan(value)) {
    out->append("NaN");
  } else if (std::isinf(value)) {
    out->append(value > 0 ? "+Inf" : "-Inf");
  } else {
    // Plain decimals where they are short ("0.0005", not "5e-04"), exponents otherwise.
    char buf[64];
    double magnitude = std::fabs(value);
    bool fixed = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
    auto [end, ec] = fixed ? std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed)
                           : std::to_chars(buf, buf + sizeof(buf), value);
    out->append(buf, end);
  }
}

uint64_t Counter::Value() const {
  uint64_t sum = 0;
  for (const Cell& c : cells_) sum += c.value.load(std::memory_order_relaxed);
  return sum;
}

void Gauge::Set(int64_t value) {
  for (size_t i = 1; i < cells_.size(); ++i) cells_[i].value.store(0, std::memory_order_relaxed);
  cells_[0].value.store(value, std::memory_order_relaxed);
}

int64_t Gauge::Value() const {
  int64_t sum = 0;
  for (const Cell& c : cells_) sum += c.value.load(std::memory_order_relaxed);
  return sum;
}

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  constexpr size_t kPerLine = 64 / sizeof(std::atomic<uint64_t>);
  stride_ = (bounds_.size() + 1 + kPerLine - 1) / kPerLine * kPerLine;
  buckets_ = std::make_unique<std::atomic<uint64_t>[]>(stride_ * kStripes);
}

void Histogram::Observe(double value) {
  size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  size_t stripe = metrics_internal::ThreadStripe();
  buckets_[stripe * stride_ + bucket].fetch_add(1, std::memory_order_relaxed);
  sums_[stripe].value.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot s;
  s.cumulative.assign(bounds_.size() + 1, 0);
  for (size_t stripe = 0; stripe < kStripes; ++stripe) {
    for (size_t b = 0; b <= bounds_.size(); ++b) {
      s.cumulative[b] += buckets_[stripe * stride_ + b].load(std::memory_order_relaxed);
    }
    s.sum += sums_[stripe].value.load(std::memory_order_relaxed);
  }
  for (size_t b = 1; b < s.cumulative.size(); ++b) s.cumulative[b] += s.cumulative[b - 1];
  s.count = s.cumulative.back();
  return s;
}

void MetricFamilyBase::RenderHeader(std::string* out) const {
  out->append("# HELP ").append(name_).push_back(' ');
  AppendEscaped(help_, /*escape_quote=*/false, out);
  out->append("\n# TYPE ").append(name_).push_back(' ');
  out->append(TypeName(type_)).push_back('\n');
}

void MetricFamilyBase::RenderSeries(std::string_view suffix, const std::vector<std::string>& values,
                                    std::string_view extra_label, std::string_view extra_value,
                                    std::string* out) const {
  out->append(name_).append(suffix);
  if (values.empty() && extra_label.empty()) return;
  out->push_back('{');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append(label_names_[i]).append("=\"");
    AppendEscaped(values[i], /*escape_quote=*/true, out);
    out->push_back('"');
  }
  if (!extra_label.empty()) {
    if (!values.empty()) out->push_back(',');
    out->append(extra_label).append("=\"").append(extra_value).push_back('"');
  }
  out->push_back('}');
}

template <typename T>
T& Family<T>::WithLabels(std::vector<std::string> values) {
  DS_CHECK(values.size() == label_names_.size());
  std::lock_guard lock(mu_);
  auto it = children_.find(values);
  if (it == children_.end()) it = children_.emplace(std::move(values), make_()).first;
  return *it->second;
}

template <typename T>
void Family<T>::Render(std::string* out) const {
  RenderHeader(out);
  std::lock_guard lock(mu_);
  for (const auto& [values, child] : children_) {
    if constexpr (std::is_same_v<T, Counter>) {
      RenderSeries("", values, {}, {}, out);
      out->push_back(' ');
      AppendUInt(child->Value(), out);
      out->push_back('\n');
    } else if constexpr (std::is_same_v<T, Gauge>) {
      RenderSeries("", values, {}, {}, out);
      out->push_back(' ');
      AppendInt(child->Value(), out);
      out->push_back('\n');
    } else {
      Histogram::Snapshot s = child->Read();
      std::string le;
      for (size_t b = 0; b < s.cumulative.size(); ++b) {
        le.clear();
        if (b < child->bounds().size()) {
          AppendMetricValue(child->bounds()[b], &le);
        } else {
          le = "+Inf";
        }
        RenderSeries("_bucket", values, "le", le, out);
        out->push_back(' ');
        AppendUInt(s.cumulative[b], out);
        out->push_back('\n');
      }
      RenderSeries("_sum", values, {}, {}, out);
      out->push_back(' ');
      AppendMetricValue(s.sum, out);
      out->push_back('\n');
      RenderSeries("_count", values, {}, {}, out);
      out->push_back(' ');
      AppendUInt(s.count, out);
      out->push_back('\n');
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

MetricFamilyBase* MetricsRegistry::Find(const std::string& name, MetricFamilyBase::Type type,
                                        const std::vector<std::string>& label_names) {
  DS_CHECK(IsValidMetricName(name));
  for (const std::string& label : label_names) DS_CHECK(IsValidLabelName(label));
  for (const auto& f : families_) {
    if (f->name() == name) {
      // Same name again: only the identical definition may be shared.
      DS_CHECK(f->type() == type && f->label_names() == label_names);
      return f.get();
    }
  }
  return nullptr;
}

void MetricsRegistry::Register(std::unique_ptr<MetricFamilyBase> family) {
  families_.push_back(std::move(family));
}

Family<Counter>& MetricsRegistry::AddCounter(std::string name, std::string help,
                                             std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  if (auto* f = Find(name, MetricFamilyBase::Type::kCounter, label_names)) {
    return *static_cast<Family<Counter>*>(f);
  }
  auto family = std::make_unique<Family<Counter>>(
      std::move(name), std::move(help), MetricFamilyBase::Type::kCounter, std::move(label_names),
      [] { return std::make_unique<Counter>(); });
  auto& ref = *family;
  Register(std::move(family));
  return ref;
}

Family<Gauge>& MetricsRegistry::AddGauge(std::string name, std::string help,
                                         std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  if (auto* f = Find(name, MetricFamilyBase::Type::kGauge, label_names)) {
    return *static_cast<Family<Gauge>*>(f);
  }
  auto family = std::make_unique<Family<Gauge>>(
      std::move(name), std::move(help), MetricFamilyBase::Type::kGauge, std::move(label_names),
      [] { return std::make_unique<Gauge>(); });
  auto& ref = *family;
  Register(std::move(family));
  return ref;
}

Family<Histogram>& MetricsRegistry::AddHistogram(std::string name, std::string help,
                                                 std::vector<double> bounds,
                                                 std::vector<std::string> label_names) {
  for (size_t i = 0; i < bounds.size(); ++i) {
    DS_CHECK(std::isfinite(bounds[i]));
    DS_CHECK(i == 0 || bounds[i] > bounds[i - 1]);
  }
  for (const std::string& label : label_names) DS_CHECK(label != "le");
  std::lock_guard lock(mu_);
  if (auto* f = Find(name, MetricFamilyBase::Type::kHistogram, label_names)) {
    return *static_cast<Family<Histogram>*>(f);
  }
  auto family = std::make_unique<Family<Histogram>>(
      std::move(name), std::move(help), MetricFamilyBase::Type::kHistogram, std::move(label_names),
      [bounds] { return std::make_unique<Histogram>(bounds); });
  auto& ref = *family;
  Register(std::move(family));
  return ref;
}

void MetricsRegistry::AddCallbackGauge(std::string name, std::string help,
                                       std::function<double()> read) {
  std::lock_guard lock(mu_);
  if (auto* f = Find(name, MetricFamilyBase::Type::kCallbackGauge, {})) {
    static_cast<CallbackGaugeFamily*>(f)->set_read(std::move(read));
    return;
  }
  Register(
      std::make_unique<CallbackGaugeFamily>(std::move(name), std::move(help), std::move(read)));
}

std::string MetricsRegistry::RenderText() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& f : families_) f->Render(&out);
  return out;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

}  // namespace ds::http
