#include "delta/checkpoint_reader.h"

#include "columnar/json_rows.h"
#include "delta/tail_cached_file.h"
#include "parquet/file_reader.h"
#include "util/decimal.h"
#include "util/json.h"

namespace ds::delta {
namespace {

using columnar::Array;
using columnar::TypeId;

// Child arrays of a struct array by name (nullptr when the file lacks the field).
class StructCols {
 public:
  StructCols() = default;
  explicit StructCols(const Array* a) : array_(a) {}
  const Array* operator[](std::string_view name) const {
    if (array_ == nullptr) return nullptr;
    const auto& fields = array_->type->fields;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].name == name) return array_->children[i].get();
    }
    return nullptr;
  }
  bool Valid(int64_t row) const { return array_ != nullptr && array_->IsValid(row); }

 private:
  const Array* array_ = nullptr;
};

bool Valid(const Array* a, int64_t row) { return a != nullptr && a->IsValid(row); }

std::optional<int64_t> Int(const Array* a, int64_t row) {
  if (!Valid(a, row)) return std::nullopt;
  switch (a->type->id) {
    case TypeId::kInt8:
      return a->Value<int8_t>(row);
    case TypeId::kInt16:
      return a->Value<int16_t>(row);
    case TypeId::kInt32:
      return a->Value<int32_t>(row);
    case TypeId::kInt64:
      return a->Value<int64_t>(row);
    default:
      return std::nullopt;
  }
}

std::optional<std::string_view> Str(const Array* a, int64_t row) {
  if (!Valid(a, row) || !columnar::IsVarBinary(a->type->id)) return std::nullopt;
  return a->View(row);
}

std::optional<bool> Bool(const Array* a, int64_t row) {
  if (!Valid(a, row) || a->type->id != TypeId::kBool) return std::nullopt;
  return a->BoolValue(row);
}

// Map<string, string> entries of a row; false when the map is null or not string-keyed.
bool MapEntries(const Array* a, int64_t row, std::vector<StringPairView>* out) {
  out->clear();
  if (!Valid(a, row) || a->type->id != TypeId::kMap || a->children.size() != 2) return false;
  const Array& keys = *a->children[0];
  const Array& values = *a->children[1];
  if (!columnar::IsVarBinary(keys.type->id) || !columnar::IsVarBinary(values.type->id)) {
    return false;
  }
  for (int64_t i = a->ListBegin(row); i < a->ListEnd(row); ++i) {
    StringPairView p;
    p.key = keys.View(i);
    p.value_is_null = values.IsNull(i);
    if (!p.value_is_null) p.value = values.View(i);
    out->push_back(p);
  }
  return true;
}

std::vector<std::string> StringList(const Array* a, int64_t row) {
  std::vector<std::string> out;
  if (!Valid(a, row) || a->type->id != TypeId::kList) return out;
  const Array& items = *a->children[0];
  for (int64_t i = a->ListBegin(row); i < a->ListEnd(row); ++i) {
    if (items.IsValid(i) && columnar::IsVarBinary(items.type->id)) out.emplace_back(items.View(i));
  }
  return out;
}

// Appends a stats_parsed value as the JSON that `stats` would hold: nested objects, null
// entries left out, numbers (decimals too) as JSON numbers.
void AppendStatsValue(const Array& a, int64_t row, std::string* out) {
  switch (a.type->id) {
    case TypeId::kStruct: {
      out->push_back('{');
      bool first = true;
      for (size_t c = 0; c < a.children.size(); ++c) {
        if (a.children[c]->IsNull(row)) continue;
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(a.type->fields[c].name, out);
        out->push_back(':');
        AppendStatsValue(*a.children[c], row, out);
      }
      out->push_back('}');
      return;
    }
    case TypeId::kDecimal:
      AppendDecimal(a.DecimalValue(row), a.type->scale, out);
      return;
    default:
      columnar::AppendValueJson(a, row, out);
  }
}

std::optional<std::string> StatsFromParsed(const Array* parsed, int64_t row) {
  if (!Valid(parsed, row) || parsed->type->id != TypeId::kStruct) return std::nullopt;
  std::string out;
  AppendStatsValue(*parsed, row, &out);
  return out;
}

class RowConverter {
 public:
  RowConverter(const std::string& name, ActionHandler* handler) : name_(name), handler_(handler) {}

  Status Batch(const columnar::RecordBatch& batch) {
    const columnar::Schema& schema = *batch.schema;
    auto col = [&](std::string_view n) -> StructCols {
      int i = schema.FieldIndex(n);
      if (i < 0 || batch.columns[i]->type->id != TypeId::kStruct) return StructCols();
      return StructCols(batch.columns[i].get());
    };
    StructCols add = col("add"), remove = col("remove"), protocol = col("protocol"),
               metadata = col("metaData"), txn = col("txn"), domain = col("domainMetadata"),
               sidecar = col("sidecar"), cp_meta = col("checkpointMetadata");
    for (int64_t row = 0; row < batch.num_rows; ++row) {
      if (add.Valid(row)) RETURN_NOT_OK(File(add, row, FileActionKind::kAdd));
      if (remove.Valid(row)) RETURN_NOT_OK(File(remove, row, FileActionKind::kRemove));
      if (protocol.Valid(row)) RETURN_NOT_OK(ProtocolRow(protocol, row));
      if (metadata.Valid(row)) RETURN_NOT_OK(MetadataRow(metadata, row));
      if (txn.Valid(row)) RETURN_NOT_OK(TxnRow(txn, row));
      if (domain.Valid(row)) RETURN_NOT_OK(DomainRow(domain, row));
      if (sidecar.Valid(row)) RETURN_NOT_OK(SidecarRow(sidecar, row));
      if (cp_meta.Valid(row)) {
        std::optional<int64_t> v = Int(cp_meta["version"], row);
        if (!v) return Missing("checkpointMetadata.version");
        RETURN_NOT_OK(handler_->OnCheckpointMetadata(CheckpointMetadata{*v}));
      }
    }
    return Status::OK();
  }

 private:
  Status Missing(std::string_view field) const {
    return Status::Corruption(name_ + ": checkpoint row without required " + std::string(field));
  }

  Status File(const StructCols& c, int64_t row, FileActionKind kind) {
    FileActionView a;
    a.kind = kind;
    std::optional<std::string_view> path = Str(c["path"], row);
    if (!path) {
      // Some writers emit all-null structs instead of null ones; skip those.
      return Status::OK();
    }
    a.path = *path;
    a.has_partition_values = MapEntries(c["partitionValues"], row, &pv_);
    a.partition_values = pv_;
    a.size = Int(c["size"], row);
    if (kind == FileActionKind::kAdd && !a.size) return Missing("add.size");
    a.modification_time = Int(c["modificationTime"], row);
    a.data_change = Bool(c["dataChange"], row).value_or(false);
    std::optional<std::string> parsed_stats;
    if (auto s = Str(c["stats"], row)) {
      a.stats = *s;
    } else if ((parsed_stats = StatsFromParsed(c["stats_parsed"], row))) {
      a.stats = *parsed_stats;
    }
    a.has_tags = MapEntries(c["tags"], row, &tags_);
    a.tags = tags_;
    StructCols dv(c["deletionVector"]);
    if (dv.Valid(row)) {
      DeletionVectorView d;
      std::optional<std::string_view> type = Str(dv["storageType"], row);
      std::optional<std::string_view> p = Str(dv["pathOrInlineDv"], row);
      std::optional<int64_t> size = Int(dv["sizeInBytes"], row);
      if (!type || type->size() != 1 || !p || !size || *size < 0 || *size > INT32_MAX) {
        return Missing("deletionVector fields");
      }
      d.storage_type = (*type)[0];
      d.path_or_inline_dv = *p;
      if (auto off = Int(dv["offset"], row)) {
        if (*off < 0 || *off > INT32_MAX) return Missing("deletionVector.offset");
        d.offset = static_cast<int32_t>(*off);
      }
      d.size_in_bytes = static_cast<int32_t>(*size);
      d.cardinality = Int(dv["cardinality"], row).value_or(0);
      d.max_row_index = Int(dv["maxRowIndex"], row);
      a.deletion_vector = d;
    }
    a.base_row_id = Int(c["baseRowId"], row);
    a.default_row_commit_version = Int(c["defaultRowCommitVersion"], row);
    a.clustering_provider = Str(c["clusteringProvider"], row);
    a.deletion_timestamp = Int(c["deletionTimestamp"], row);
    a.extended_file_metadata = Bool(c["extendedFileMetadata"], row);
    return handler_->OnFileAction(a);
  }

  Status ProtocolRow(const StructCols& c, int64_t row) {
    Protocol p;
    std::optional<int64_t> r = Int(c["minReaderVersion"], row);
    std::optional<int64_t> w = Int(c["minWriterVersion"], row);
    if (!r || !w) return Missing("protocol versions");
    p.min_reader_version = static_cast<int32_t>(*r);
    p.min_writer_version = static_cast<int32_t>(*w);
    if (Valid(c["readerFeatures"], row)) p.reader_features = StringList(c["readerFeatures"], row);
    if (Valid(c["writerFeatures"], row)) p.writer_features = StringList(c["writerFeatures"], row);
    return handler_->OnProtocol(std::move(p));
  }

  Status MetadataRow(const StructCols& c, int64_t row) {
    Metadata m;
    std::optional<std::string_view> id = Str(c["id"], row);
    std::optional<std::string_view> schema = Str(c["schemaString"], row);
    if (!id) return Missing("metaData.id");
    m.id = std::string(*id);
    if (schema) m.schema_string = std::string(*schema);
    if (auto s = Str(c["name"], row)) m.name = std::string(*s);
    if (auto s = Str(c["description"], row)) m.description = std::string(*s);
    StructCols format(c["format"]);
    if (format.Valid(row)) {
      if (auto s = Str(format["provider"], row)) m.format.provider = std::string(*s);
      if (MapEntries(format["options"], row, &pv_)) m.format.options = ToMap(pv_);
    }
    m.partition_columns = StringList(c["partitionColumns"], row);
    if (MapEntries(c["configuration"], row, &pv_)) m.configuration = ToMap(pv_);
    m.created_time = Int(c["createdTime"], row);
    return handler_->OnMetadata(std::move(m));
  }

  Status TxnRow(const StructCols& c, int64_t row) {
    std::optional<std::string_view> app = Str(c["appId"], row);
    std::optional<int64_t> version = Int(c["version"], row);
    if (!app || !version) return Missing("txn.appId/version");
    return handler_->OnTransaction(
        SetTransaction{std::string(*app), *version, Int(c["lastUpdated"], row)});
  }

  Status DomainRow(const StructCols& c, int64_t row) {
    std::optional<std::string_view> domain = Str(c["domain"], row);
    if (!domain) return Missing("domainMetadata.domain");
    DomainMetadata d;
    d.domain = std::string(*domain);
    d.configuration = std::string(Str(c["configuration"], row).value_or(""));
    d.removed = Bool(c["removed"], row).value_or(false);
    return handler_->OnDomainMetadata(std::move(d));
  }

  Status SidecarRow(const StructCols& c, int64_t row) {
    std::optional<std::string_view> path = Str(c["path"], row);
    if (!path) return Missing("sidecar.path");
    SidecarFile s;
    s.path = std::string(*path);
    s.size_in_bytes = Int(c["sizeInBytes"], row).value_or(0);
    s.modification_time = Int(c["modificationTime"], row).value_or(0);
    return handler_->OnSidecar(std::move(s));
  }

  static StringMap ToMap(const std::vector<StringPairView>& pairs) {
    StringMap out;
    for (const StringPairView& p : pairs) {
      out.emplace_back(std::string(p.key),
                       p.value_is_null ? std::nullopt : std::optional<std::string>(p.value));
    }
    return out;
  }

  const std::string& name_;
  ActionHandler* handler_;
  std::vector<StringPairView> pv_, tags_;
};

}  // namespace

Status ReadParquetCheckpoint(const io::RandomAccessFilePtr& file, const std::string& name,
                             const CheckpointReadOptions& options, ActionHandler* handler) {
  auto cached = WithCachedTail(file);
  auto probe = parquet::FileReader::Open(cached);
  if (!probe.ok()) return Status::Corruption(name + ": " + probe.status().message());
  parquet::ReaderOptions ro;
  static constexpr std::string_view kFileColumns[] = {
      "add", "remove", "txn", "domainMetadata", "sidecar", "checkpointMetadata"};
  for (const columnar::Field& f : (*probe)->schema()->fields) {
    bool wanted = f.name == "protocol" || f.name == "metaData";
    if (options.file_actions) {
      for (std::string_view c : kFileColumns) wanted = wanted || f.name == c;
    }
    if (wanted) ro.columns.push_back(f.name);
  }
  if (ro.columns.empty()) return Status::OK();
  ro.batch_size = 8192;
  auto reader = parquet::FileReader::Open(cached, ro);
  if (!reader.ok()) return Status::Corruption(name + ": " + reader.status().message());
  RowConverter converter(name, handler);
  while (true) {
    auto batch = (*reader)->Next();
    if (!batch.ok()) return Status::Corruption(name + ": " + batch.status().message());
    if (!*batch) return Status::OK();
    RETURN_NOT_OK(converter.Batch(**batch));
  }
}

}  // namespace ds::delta
