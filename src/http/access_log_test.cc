#include "http/access_log.h"

#include "io/file.h"
#include "test/testing/testing.h"
#include "util/json.h"

namespace ds::http {
namespace {

TEST(AccessLogTest, OneJsonLinePerEntry) {
  AccessLogEntry e;
  e.start_unix_micros = 1714564800123456;  // 2024-05-01T12:00:00.123456Z
  e.request_id = "abc-1";
  e.client_address = "10.0.0.7";
  e.method = "GET";
  e.path = "/shares/s\"x/schemas";
  e.route = "/shares/{share}/schemas";
  e.status = 200;
  e.request_bytes = 3;
  e.response_bytes = 512;
  e.duration_seconds = 0.00125;
  e.user_agent = "delta-sharing-python/1.1.0\n";
  e.outcome = "ok";
  e.tls = true;
  std::string line;
  AppendAccessLogLine(e, &line);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson(line));
  EXPECT_EQ(v.Find("time")->string_value(), "2024-05-01T12:00:00.123456Z");
  EXPECT_EQ(v.Find("path")->string_value(), "/shares/s\"x/schemas");
  EXPECT_EQ(v.Find("status")->number_text(), "200");
  EXPECT_EQ(v.Find("duration_ms")->number_text(), "1.25");
  EXPECT_EQ(v.Find("user_agent")->string_value(), "delta-sharing-python/1.1.0\n");
  EXPECT_TRUE(v.Find("tls")->bool_value());
  EXPECT_EQ(v.Find("outcome")->string_value(), "ok");
}

TEST(AccessLogTest, RedactsQueryAndBoundsFields) {
  AccessLogEntry e;
  e.path = "/files/x?X-Amz-Signature=secret&token=abc";
  std::string long_agent(10000, 'u');
  e.user_agent = long_agent;
  std::string line;
  AppendAccessLogLine(e, &line);
  EXPECT_EQ(line.find("secret"), std::string::npos);
  EXPECT_EQ(line.find('?'), std::string::npos);
  ASSERT_OK_AND_ASSIGN(JsonValue v, ParseJson(line));
  EXPECT_EQ(v.Find("path")->string_value(), "/files/x");
  EXPECT_EQ(v.Find("user_agent")->string_value().size(), 256u);
  std::string long_path(5000, 'p');
  e.path = long_path;
  line.clear();
  AppendAccessLogLine(e, &line);
  ASSERT_OK_AND_ASSIGN(v, ParseJson(line));
  EXPECT_EQ(v.Find("path")->string_value().size(), 1024u);
}

TEST(AccessLogTest, FileSinkAppends) {
  testing::TempDir dir;
  std::string path = dir.Join("access.log");
  ASSERT_OK(io::WriteStringToFile(path, "old\n"));
  ASSERT_OK_AND_ASSIGN(auto sink, OpenFileAccessLog(path));
  ASSERT_OK(sink->Write("a\n"));
  ASSERT_OK(sink->Write("b\n"));
  ASSERT_OK_AND_ASSIGN(std::string text, io::ReadFileToString(path));
  EXPECT_EQ(text, "old\na\nb\n");
  ASSERT_RAISES(kIOError, OpenFileAccessLog(dir.Join("missing/dir/access.log")));
}

}  // namespace
}  // namespace ds::http
