#include "access/http/access_routes.h"

namespace ds::access {

Status AddAccessRoutes(http::Router* router, std::shared_ptr<AccessService> access,
                       AccessRoutesOptions options) {
  (void)router;
  (void)access;
  (void)options;
  return Status::OK();
}

}  // namespace ds::access
