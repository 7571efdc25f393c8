#include "http/ops_routes.h"

namespace ds::http {

Status AddOperationalRoutes(Router* router, std::shared_ptr<MetricsRegistry> registry,
                            std::function<bool()> healthy) {
  RouteOptions inline_route;
  inline_route.run_inline = true;
  RETURN_NOT_OK(router->Add(
      Method::kGet, "/healthz",
      [healthy = std::move(healthy)](const Request&) {
        if (healthy && !healthy()) return Response::Text(503, "unhealthy\n");
        return Response::Text(200, "ok\n");
      },
      inline_route));
  return router->Add(
      Method::kGet, "/metrics",
      [registry = std::move(registry)](const Request&) {
        return Response::Text(200, registry->RenderText(), MetricsRegistry::kContentType);
      },
      inline_route);
}

}  // namespace ds::http
