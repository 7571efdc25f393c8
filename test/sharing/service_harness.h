// Test helper: a SharingService over static shares, driven without sockets. Requests are
// built with http::Request::Make and answered by SharingService::Handle; streamed bodies run
// to the end into a string, and a body that the service aborts (the server would cut the
// connection) is reported as such. Test-only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "access/access_service.h"
#include "http/request.h"
#include "http/response.h"
#include "sharing/service/sharing_service.h"
#include "util/json.h"

namespace ds::sharing::testing {

// One table of the static configuration.
struct SharedTable {
  std::string share = "share";
  std::string schema = "schema";
  std::string name;
  std::string location;
  bool history_shared = true;
  std::optional<int64_t> start_version;
  std::string id;  // derived from the names when empty
};

struct Reply {
  int status = 0;
  http::Headers headers;
  std::string body;
  bool aborted = false;  // the stream failed: the server would cut the connection
  Status stream_status;  // what the producer returned

  std::optional<std::string_view> header(std::string_view name) const { return headers.Get(name); }
  // The body's lines without their '\n' (every line must end with one; a missing last
  // newline yields a last line "<no newline>…").
  std::vector<std::string> lines() const;
  // The body's lines parsed as JSON (a line that does not parse becomes a string value).
  std::vector<JsonValue> json() const;
  // The JSON error body's fields.
  std::string error_code() const;
  std::string message() const;
};

class ServiceHarness {
 public:
  static constexpr std::string_view kToken = "harness-token-0123456789abcdef";

  struct Options {
    std::vector<SharedTable> tables;
    service::ServiceOptions service;
    service::TableCacheOptions cache;
    service::LocationResolver resolver;  // default: service::OpenLocalLocation
  };
  static Result<std::unique_ptr<ServiceHarness>> Make(Options options);

  // `target` is below the API prefix ("/shares?maxResults=1"). The static token is sent
  // unless `headers` has an Authorization field (an empty value sends none).
  Reply Send(http::Method method, const std::string& target, std::string body = "",
             http::Headers headers = {});
  Reply Get(const std::string& target, http::Headers headers = {}) {
    return Send(http::Method::kGet, target, "", std::move(headers));
  }
  Reply Post(const std::string& target, std::string body, http::Headers headers = {}) {
    return Send(http::Method::kPost, target, std::move(body), std::move(headers));
  }
  // A request answered but whose streamed body has not run yet (tests change the world in
  // between, e.g. inject a storage fault), then run with Finish.
  struct Pending {
    std::unique_ptr<http::Request> request;
    http::Response response;
  };
  Pending Begin(http::Method method, const std::string& target, std::string body = "",
                http::Headers headers = {});
  static Reply Finish(Pending pending) {
    return Run(*pending.request, std::move(pending.response));
  }

  // Downloads a URL the service signed for a local file (GET or HEAD, optional Range).
  Reply Download(const std::string& url, http::Method method = http::Method::kGet,
                 std::string range = "");

  service::SharingService& service() { return *service_; }
  access::AccessService& access() { return *access_; }
  service::TableCache& tables() { return *tables_; }

  // Runs a response (streamed or not) to its end.
  static Reply Run(const http::Request& request, http::Response response);

 private:
  ServiceHarness() = default;
  std::shared_ptr<access::AccessService> access_;
  std::shared_ptr<service::TableCache> tables_;
  std::unique_ptr<service::SharingService> service_;
};

// "/shares/<share>/schemas/<schema>/tables/<table>"
std::string TablePath(const SharedTable& table);
// Headers from "Name: value" strings.
http::Headers HeadersOf(const std::vector<std::string>& fields);

}  // namespace ds::sharing::testing
