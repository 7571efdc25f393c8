// The operational endpoints every deployment wants: GET /healthz and GET /metrics.
#pragma once

#include <functional>
#include <memory>

#include "http/metrics.h"
#include "http/router.h"

namespace ds::http {

// Adds GET /healthz (200 "ok", or 503 "unhealthy" when `healthy` returns false) and GET
// /metrics (the registry in the Prometheus text format), both run inline on the I/O thread.
// `healthy` (optional) must be cheap and thread-safe. Fails like Router::Add.
Status AddOperationalRoutes(Router* router, std::shared_ptr<MetricsRegistry> registry,
                            std::function<bool()> healthy = {});

}  // namespace ds::http
