// RequestParser: Beast's HTTP/1.x parser writing straight into a Request (internal to the
// server, and the subject of request_parser_fuzz.cc).
//
// Beast does the HTTP grammar; this class stores what it reports without building Beast's
// own message type (no per-field allocation), enforces the header and body limits, and
// refuses framing that invites request smuggling: a Transfer-Encoding other than exactly
// "chunked", or Transfer-Encoding together with Content-Length.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <cstddef>

#include "http/request.h"

namespace ds::http::internal {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  // Parses into `*request` (which must outlive the parser).
  RequestParser(Request* request, size_t max_header_bytes, size_t max_body_bytes);

  // After the header: the client sent "Expect: 100-continue".
  bool expect_continue() const { return expect_continue_; }
  // After the header: the client sent an Expect value other than 100-continue (417).
  bool unsupported_expectation() const { return unsupported_expectation_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb method, string_view method_str, string_view target,
                       int version, error_code& ec) override;
  void on_response_impl(int, string_view, int, error_code& ec) override;
  void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code& ec) override;
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  Request* request_;
  size_t max_body_bytes_;
  bool expect_continue_ = false;
  bool unsupported_expectation_ = false;
  bool has_content_length_ = false;
  bool has_transfer_encoding_ = false;
};

}  // namespace ds::http::internal
