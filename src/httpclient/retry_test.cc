#include "httpclient/retry.h"

#include "httpclient/http_status.h"
#include "test/testing/testing.h"

namespace ds::httpclient {
namespace {

TEST(RetryTest, BackoffGrowsWithJitterAndCap) {
  RetryPolicy p;
  p.initial_backoff_ms = 100;
  p.max_backoff_ms = 1000;
  for (int i = 0; i < 200; ++i) {
    const int64_t b1 = BackoffMs(p, 1);
    EXPECT_GE(b1, 50);
    EXPECT_LE(b1, 100);
    const int64_t b3 = BackoffMs(p, 3);
    EXPECT_GE(b3, 200);
    EXPECT_LE(b3, 400);
    const int64_t b10 = BackoffMs(p, 10);
    EXPECT_GE(b10, 500);
    EXPECT_LE(b10, 1000);
  }
  p.initial_backoff_ms = 0;
  EXPECT_EQ(BackoffMs(p, 5), 0);
}

TEST(RetryTest, DecidesWhatToRetry) {
  RetryPolicy p;
  p.max_attempts = 3;
  HttpRequest get;
  HttpRequest post;
  post.method = HttpMethod::kPost;
  HttpResponse r503;
  r503.status = 503;
  HttpResponse r404;
  r404.status = 404;
  EXPECT_TRUE(RetryDelayMs(p, get, 1, &r503, 0).has_value());
  EXPECT_TRUE(RetryDelayMs(p, get, 2, nullptr, 0).has_value());
  EXPECT_FALSE(RetryDelayMs(p, get, 3, &r503, 0).has_value());  // attempts used up
  EXPECT_FALSE(RetryDelayMs(p, get, 1, &r404, 0).has_value());
  EXPECT_FALSE(RetryDelayMs(p, post, 1, &r503, 0).has_value());
  post.retry_non_idempotent = true;
  EXPECT_TRUE(RetryDelayMs(p, post, 1, &r503, 0).has_value());

  HttpResponse r429;
  r429.status = 429;
  r429.headers.Add("retry-after", "2");
  EXPECT_EQ(RetryDelayMs(p, get, 1, &r429, 0), 2000);
  r429.headers.Set("Retry-After", "600");
  EXPECT_FALSE(RetryDelayMs(p, get, 1, &r429, 0).has_value());  // beyond the cap
  p.honor_retry_after = false;
  EXPECT_LE(RetryDelayMs(p, get, 1, &r429, 0).value_or(-1), p.initial_backoff_ms);
  for (int s : {408, 429, 500, 502, 503, 504}) EXPECT_TRUE(IsRetryableHttpStatus(s)) << s;
  for (int s : {200, 301, 400, 401, 403, 404, 409, 412, 416, 501, 505}) {
    EXPECT_FALSE(IsRetryableHttpStatus(s)) << s;
  }
}

TEST(HttpStatusTest, MapsCodesAndRedactsMessages) {
  EXPECT_EQ(StatusCodeForHttp(200), StatusCode::kOk);
  EXPECT_EQ(StatusCodeForHttp(206), StatusCode::kOk);
  EXPECT_EQ(StatusCodeForHttp(302), StatusCode::kIOError);
  EXPECT_EQ(StatusCodeForHttp(400), StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusCodeForHttp(401), StatusCode::kUnauthenticated);
  EXPECT_EQ(StatusCodeForHttp(403), StatusCode::kPermissionDenied);
  EXPECT_EQ(StatusCodeForHttp(404), StatusCode::kNotFound);
  EXPECT_EQ(StatusCodeForHttp(409), StatusCode::kFailedPrecondition);
  EXPECT_EQ(StatusCodeForHttp(412), StatusCode::kFailedPrecondition);
  EXPECT_EQ(StatusCodeForHttp(416), StatusCode::kOutOfRange);
  EXPECT_EQ(StatusCodeForHttp(429), StatusCode::kUnavailable);
  EXPECT_EQ(StatusCodeForHttp(501), StatusCode::kNotSupported);
  EXPECT_EQ(StatusCodeForHttp(503), StatusCode::kUnavailable);
  EXPECT_EQ(StatusCodeForHttp(418), StatusCode::kIOError);

  HttpRequest req;
  req.url = "https://h/key?X-Amz-Signature=secret";
  HttpResponse resp;
  resp.status = 403;
  resp.body = "<Error>\n<Code>AccessDenied</Code></Error>";
  Status st = HttpResponseStatus(req, resp);
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(st.message(),
            "GET https://h/key: HTTP 403 Forbidden: <Error> <Code>AccessDenied</Code></Error>");
  resp.status = 200;
  EXPECT_OK(HttpResponseStatus(req, resp));
}

}  // namespace
}  // namespace ds::httpclient
