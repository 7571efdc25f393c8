#include "http/request_parser.h"

#include <algorithm>
#include <boost/beast/http/error.hpp>

#include "util/string_util.h"

namespace ds::http::internal {

namespace beast_http = boost::beast::http;

RequestParser::RequestParser(Request* request, size_t max_header_bytes, size_t max_body_bytes)
    : request_(request), max_body_bytes_(max_body_bytes) {
  header_limit(static_cast<std::uint32_t>(std::min<size_t>(max_header_bytes, UINT32_MAX)));
  body_limit(static_cast<std::uint64_t>(max_body_bytes));
}

void RequestParser::on_request_impl(beast_http::verb, string_view method_str, string_view target,
                                    int version, error_code& ec) {
  std::string_view method(method_str.data(), method_str.size());
  request_->SetRequestLine(ParseMethod(method), method,
                           std::string_view(target.data(), target.size()), version);
  request_->mutable_headers().Reserve(16, 512);
}

void RequestParser::on_response_impl(int, string_view, int, error_code& ec) {
  ec = beast_http::error::bad_version;  // unreachable: this is a request parser
}

void RequestParser::on_field_impl(beast_http::field name, string_view name_string,
                                  string_view value, error_code& ec) {
  std::string_view v(value.data(), value.size());
  if (name == beast_http::field::expect) {
    if (EqualsIgnoreCase(Trim(v), "100-continue")) {
      expect_continue_ = true;
    } else {
      unsupported_expectation_ = true;
    }
  } else if (name == beast_http::field::transfer_encoding) {
    if (has_transfer_encoding_ || !EqualsIgnoreCase(Trim(v), "chunked")) {
      ec = beast_http::error::bad_transfer_encoding;
      return;
    }
    has_transfer_encoding_ = true;
  } else if (name == beast_http::field::content_length) {
    has_content_length_ = true;
  }
  request_->mutable_headers().Add(std::string_view(name_string.data(), name_string.size()), v);
}

void RequestParser::on_header_impl(error_code& ec) {
  if (has_transfer_encoding_ && has_content_length_) {
    ec = beast_http::error::bad_transfer_encoding;
  }
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                      error_code&) {
  if (content_length) {
    request_->mutable_body().reserve(
        static_cast<size_t>(std::min<std::uint64_t>(*content_length, max_body_bytes_)));
  }
}

std::size_t RequestParser::on_body_impl(string_view body, error_code&) {
  request_->mutable_body().append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, string_view, error_code&) {}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  request_->mutable_body().append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

}  // namespace ds::http::internal
