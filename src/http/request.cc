#include "http/request.h"

#include <cstdint>

namespace ds::http {

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kDelete:
      return "DELETE";
    case Method::kPatch:
      return "PATCH";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      return "OTHER";
  }
  return "OTHER";
}

Method ParseMethod(std::string_view token) {
  if (token == "GET") return Method::kGet;
  if (token == "HEAD") return Method::kHead;
  if (token == "POST") return Method::kPost;
  if (token == "PUT") return Method::kPut;
  if (token == "DELETE") return Method::kDelete;
  if (token == "PATCH") return Method::kPatch;
  if (token == "OPTIONS") return Method::kOptions;
  return Method::kOther;
}

Result<Request> Request::Make(Method method, std::string target, Headers headers,
                              std::string body) {
  Request r;
  r.method_ = method;
  r.method_name_ = std::string(MethodName(method));
  r.target_ = std::move(target);
  r.headers_ = std::move(headers);
  r.body_ = std::move(body);
  RETURN_NOT_OK(r.ParseTarget());
  return r;
}

void Request::SetRequestLine(Method method, std::string_view method_name, std::string_view target,
                             int version) {
  method_ = method;
  method_name_.assign(method_name);
  target_.assign(target);
  path_offset_ = path_size_ = query_offset_ = query_size_ = 0;
  version_ = version;
}

Status Request::ParseTarget() {
  ASSIGN_OR_RETURN(RequestTarget parts, SplitTarget(target_));
  auto offset_of = [&](std::string_view part) {
    return static_cast<uint32_t>(part.empty() ? 0 : part.data() - target_.data());
  };
  // SplitTarget returns a literal "/" for an absolute-form target without a path.
  auto begin = reinterpret_cast<uintptr_t>(target_.data());
  auto at = reinterpret_cast<uintptr_t>(parts.path.data());
  bool path_in_target = at >= begin && at < begin + target_.size();
  path_offset_ = path_in_target ? offset_of(parts.path) : 0;
  path_size_ = path_in_target ? static_cast<uint32_t>(parts.path.size()) : 0;
  query_offset_ = offset_of(parts.query);
  query_size_ = static_cast<uint32_t>(parts.query.size());
  ASSIGN_OR_RETURN(query_, ParseQuery(parts.query));
  return Status::OK();
}

std::optional<std::string_view> Request::param(std::string_view name) const {
  for (const auto& [n, v] : params_) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

}  // namespace ds::http
