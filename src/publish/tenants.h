// Splitting a multi-tenant snapshot into one snapshot per tenant.
//
// A SaaS source usually holds every customer's rows with a tenant column; the publisher
// keeps each tenant's rows in its own table (LAKE/<tenant>/<table>) and its own share, so a
// recipient's grant can never reach another tenant's files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "columnar/array.h"

namespace ds::publish {

struct TenantRows {
  std::string tenant;
  columnar::RecordBatch rows;  // without the tenant column
};

// OK when `tenant` can name a folder of the lake and a share: 1..128 characters of
// [A-Za-z0-9_-], not starting with '-'. InvalidArgument naming the value otherwise.
Status ValidateTenant(std::string_view tenant);

// The rows of `batch` grouped by the value of `column` (a string or integer column), in
// ascending tenant order, each group keeping the source's row order and dropping the tenant
// column. InvalidArgument for an unknown column or one of another type, a null tenant, or a
// value ValidateTenant refuses (each naming the row).
Result<std::vector<TenantRows>> SplitByTenant(const columnar::RecordBatch& batch,
                                              std::string_view column);

}  // namespace ds::publish
