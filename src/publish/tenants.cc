#include "publish/tenants.h"

#include <map>

#include "columnar/scalar.h"
#include "delta/array_ops.h"

namespace ds::publish {

Status ValidateTenant(std::string_view tenant) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("tenant '" + std::string(tenant.substr(0, 64)) + "' " + why);
  };
  if (tenant.empty()) return Status::InvalidArgument("tenant is empty");
  if (tenant.size() > 128) return bad("is longer than 128 characters");
  if (tenant.front() == '-') return bad("starts with '-'");
  for (char c : tenant) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return bad("may only hold letters, digits, '_' and '-'");
  }
  return Status::OK();
}

Result<std::vector<TenantRows>> SplitByTenant(const columnar::RecordBatch& batch,
                                              std::string_view column) {
  const int index = batch.schema->FieldIndex(column);
  if (index < 0) {
    return Status::InvalidArgument("the source has no tenant column '" + std::string(column) +
                                   "' (columns: " + batch.schema->ToString() + ")");
  }
  const columnar::Array& tenants = *batch.columns[static_cast<size_t>(index)];
  const columnar::TypeId type = tenants.type->id;
  if (type != columnar::TypeId::kString && !columnar::IsInteger(type)) {
    return Status::InvalidArgument("tenant column '" + std::string(column) +
                                   "' must be a string or an integer, not " +
                                   tenants.type->ToString());
  }
  std::map<std::string, std::vector<int64_t>> groups;
  for (int64_t r = 0; r < batch.num_rows; ++r) {
    if (tenants.IsNull(r)) {
      return Status::InvalidArgument("row " + std::to_string(r + 1) + ": tenant column '" +
                                     std::string(column) + "' is null");
    }
    std::string tenant;
    if (type == columnar::TypeId::kString) {
      tenant = std::string(tenants.View(r));
    } else {
      columnar::Scalar s = columnar::Scalar::FromArray(tenants, r);
      tenant = s.rep() == columnar::Scalar::Rep::kUInt ? std::to_string(s.uint_value())
                                                        : std::to_string(s.int_value());
    }
    if (Status st = ValidateTenant(tenant); !st.ok()) {
      return st.WithContext("row " + std::to_string(r + 1));
    }
    groups[tenant].push_back(r);
  }
  auto schema = std::make_shared<columnar::Schema>();
  for (size_t c = 0; c < batch.schema->fields.size(); ++c) {
    if (static_cast<int>(c) != index) schema->fields.push_back(batch.schema->fields[c]);
  }
  std::vector<TenantRows> out;
  for (auto& [tenant, rows] : groups) {
    TenantRows t;
    t.tenant = tenant;
    t.rows.schema = schema;
    t.rows.num_rows = static_cast<int64_t>(rows.size());
    for (size_t c = 0; c < batch.columns.size(); ++c) {
      if (static_cast<int>(c) == index) continue;
      t.rows.columns.push_back(delta::TakeRows(*batch.columns[c], rows));
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace ds::publish
