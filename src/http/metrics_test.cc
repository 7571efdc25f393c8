#include "http/metrics.h"

#include <cmath>
#include <cstdio>
#include <thread>

#include "io/file.h"
#include "test/testing/testing.h"

namespace ds::http {
namespace {

TEST(MetricsTest, CountersAndGaugesAddUpAcrossThreads) {
  MetricsRegistry registry;
  Counter& c = registry.AddCounter("c_total", "help").Get();
  Gauge& g = registry.AddGauge("g", "help").Get();
  Histogram& h = registry.AddHistogram("h", "help", {1, 2}).Get();
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100000; ++i) {
        c.Increment();
        g.Add(1);
        h.Observe(1.5);
      }
      for (int i = 0; i < 50000; ++i) g.Add(-1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.Value(), 800000u);
  EXPECT_EQ(g.Value(), 400000);
  Histogram::Snapshot s = h.Read();
  EXPECT_EQ(s.count, 800000u);
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{0, 800000, 800000}));
  EXPECT_DOUBLE_EQ(s.sum, 1.5 * 800000);
  g.Set(7);
  EXPECT_EQ(g.Value(), 7);
}

TEST(MetricsTest, SameDefinitionIsShared) {
  MetricsRegistry registry;
  auto& a = registry.AddCounter("x_total", "help", {"route"});
  auto& b = registry.AddCounter("x_total", "other help", {"route"});
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(&a.WithLabels({"/a"}), &b.WithLabels({"/a"}));
  EXPECT_NE(&a.WithLabels({"/a"}), &a.WithLabels({"/b"}));
}

TEST(MetricsDeathTest, BadNamesAreBugs) {
  MetricsRegistry registry;
  EXPECT_DEATH(registry.AddCounter("1bad", "h"), "check failed");
  EXPECT_DEATH(registry.AddCounter("ok", "h", {"__reserved"}), "check failed");
  EXPECT_DEATH(registry.AddHistogram("hist", "h", {2, 1}), "check failed");
  EXPECT_DEATH(registry.AddHistogram("hist2", "h", {1}, {"le"}), "check failed");
  registry.AddCounter("dup", "h");
  EXPECT_DEATH(registry.AddGauge("dup", "h"), "check failed");
  EXPECT_DEATH(registry.AddCounter("dup", "h", {"x"}), "check failed");
  EXPECT_DEATH(registry.AddCounter("lab", "h", {"a"}).WithLabels({"1", "2"}), "check failed");
}

TEST(MetricsTest, RendersTextFormat) {
  MetricsRegistry registry;
  auto& requests = registry.AddCounter("http_requests_total", "Requests.\nSecond line \\ done",
                                       {"route", "status"});
  requests.WithLabels({"/a", "200"}).Increment(3);
  requests.WithLabels({"/b\"q\\\n", "404"}).Increment();
  registry.AddGauge("open", "Open.").Get().Set(-2);
  auto& h = registry.AddHistogram("lat_seconds", "Latency.", {0.005, 0.1, 1}, {"route"});
  h.WithLabels({"/a"}).Observe(0.05);
  h.WithLabels({"/a"}).Observe(3);
  registry.AddCallbackGauge("up", "Up.", [] { return 1.5; });
  EXPECT_EQ(registry.RenderText(),
            "# HELP http_requests_total Requests.\\nSecond line \\\\ done\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{route=\"/a\",status=\"200\"} 3\n"
            "http_requests_total{route=\"/b\\\"q\\\\\\n\",status=\"404\"} 1\n"
            "# HELP open Open.\n"
            "# TYPE open gauge\n"
            "open -2\n"
            "# HELP lat_seconds Latency.\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{route=\"/a\",le=\"0.005\"} 0\n"
            "lat_seconds_bucket{route=\"/a\",le=\"0.1\"} 1\n"
            "lat_seconds_bucket{route=\"/a\",le=\"1\"} 1\n"
            "lat_seconds_bucket{route=\"/a\",le=\"+Inf\"} 2\n"
            "lat_seconds_sum{route=\"/a\"} 3.05\n"
            "lat_seconds_count{route=\"/a\"} 2\n"
            "# HELP up Up.\n"
            "# TYPE up gauge\n"
            "up 1.5\n");
}

TEST(MetricsTest, OfficialParserAgrees) {
  MetricsRegistry registry;
  auto& requests =
      registry.AddCounter("http_requests_total", "Requests \"quoted\" \\ x", {"route", "method"});
  requests.WithLabels({"/shares/{share}", "GET"}).Increment(41);
  requests.WithLabels({"we\"ird\\\nlabel", "POST"}).Increment(2);
  auto& h = registry.AddHistogram("http_request_duration_seconds", "Latency.",
                                  DefaultLatencyBuckets(), {"route"});
  for (double v : {0.0001, 0.003, 0.2, 70.0}) h.WithLabels({"/x"}).Observe(v);
  registry.AddCallbackGauge("nan_gauge", "NaN.", [] { return std::nan(""); });
  testing::TempDir dir;
  std::string path = dir.Join("metrics.txt");
  ASSERT_OK(io::WriteStringToFile(path, registry.RenderText()));
  std::string cmd = "/usr/bin/python3 " +
                    (testing::SourceDir() / "test/http/parse_metrics.py").string() + " " + path;
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77) GTEST_SKIP() << "prometheus_client not installed";
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("http_requests_total{method=GET,route=/shares/{share}} 41.0"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("http_requests_total{method=POST,route=we\"ird\\\nlabel} 2.0"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("# http_requests counter Requests \"quoted\" \\ x"), std::string::npos) << out;
  EXPECT_NE(out.find("http_request_duration_seconds_bucket{le=0.0005,route=/x} 1.0"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("http_request_duration_seconds_bucket{le=0.005,route=/x} 2.0"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("http_request_duration_seconds_bucket{le=60,route=/x} 3.0"), std::string::npos)
      << out;
  EXPECT_NE(out.find("http_request_duration_seconds_bucket{le=+Inf,route=/x} 4.0"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("http_request_duration_seconds_count{route=/x} 4.0"), std::string::npos)
      << out;
  EXPECT_NE(out.find("nan_gauge{} nan"), std::string::npos) << out;
}

}  // namespace
}  // namespace ds::http
