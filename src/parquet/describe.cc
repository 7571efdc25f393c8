#include "parquet/describe.h"

#include <filesystem>
#include <limits>
#include <system_error>

#include "parquet/statistics.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::parquet {
namespace {

using format::ColumnChunk;
using format::ColumnMetaData;
using format::FileMetaData;
using format::KeyValue;
using format::RowGroup;
using format::SchemaElement;

constexpr size_t kMaxTextValue = 96;  // longer key/value and statistics values are cut

// `s` with control bytes escaped, cut (at a UTF-8 boundary) after `max_len` bytes.
std::string Printable(std::string_view s, size_t max_len = kMaxTextValue) {
  size_t n = s.size();
  if (n > max_len) {
    n = max_len;
    while (n > 0 && (static_cast<uint8_t>(s[n]) & 0xC0) == 0x80) --n;
  }
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    auto c = static_cast<uint8_t>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (n < s.size()) out += "... (" + std::to_string(s.size()) + " bytes)";
  return out;
}

std::string Lower(std::string_view s) { return ToLower(s); }

// Scalar::ToJson, except for times and timestamps within a day of the int64 minimum, which
// the calendar formatting cannot handle: those print as their raw integer.
std::string ValueJson(const columnar::Scalar& v) {
  const columnar::TypeId id = v.type()->id;
  constexpr int64_t kNanosPerDay = int64_t{86400} * 1000000000;
  if ((id == columnar::TypeId::kTimestamp || id == columnar::TypeId::kTime) &&
      v.int_value() < std::numeric_limits<int64_t>::min() + kNanosPerDay) {
    return std::to_string(v.int_value());
  }
  return v.ToJson();
}

// The annotation of an element: its logical type, else its converted type; "" if none.
std::string Annotation(const SchemaElement& e) {
  if (e.logical_type) return format::ToString(*e.logical_type);
  if (!e.converted_type) return "";
  std::string s(format::ConvertedTypeName(*e.converted_type));
  if (*e.converted_type == format::ConvertedType::DECIMAL) {
    s += "(" + std::to_string(e.precision.value_or(0)) + "," + std::to_string(e.scale.value_or(0)) +
         ")";
  }
  return s;
}

std::string PhysicalText(const SchemaElement& e) {
  if (!e.type) return "?";
  if (*e.type == format::Type::BYTE_ARRAY) return "binary";  // parquet-mr's spelling
  std::string s = Lower(format::TypeName(*e.type));
  if (*e.type == format::Type::FIXED_LEN_BYTE_ARRAY) {
    s += "(" + std::to_string(e.type_length.value_or(0)) + ")";
  }
  return s;
}

std::string Join(const std::vector<std::string>& parts) { return ds::Join(parts, "."); }

std::string ChunkPath(const FileReader& r, int column, const ColumnChunk& chunk) {
  if (chunk.meta_data && !chunk.meta_data->path_in_schema.empty()) {
    return Join(chunk.meta_data->path_in_schema);
  }
  return r.file_schema().column(column).PathString();
}

std::string ColumnName(const FileReader& r, int32_t index) {
  if (index < 0 || index >= r.file_schema().num_columns()) {
    return "#" + std::to_string(index) + " (no such column)";
  }
  return r.file_schema().column(index).PathString();
}

int64_t FileSize(const FileReader& r, int64_t given) {
  if (given >= 0) return given;
  std::error_code ec;
  auto size = std::filesystem::file_size(r.path(), ec);
  return ec ? -1 : static_cast<int64_t>(size);
}

// ---- Schema ----

void AppendSchemaNode(const SchemaNode& n, int depth, std::string* out) {
  out->append(static_cast<size_t>(depth) * 2, ' ');
  const SchemaElement& e = *n.element;
  out->append(Lower(format::RepetitionName(n.repetition)));
  out->append(n.is_leaf() ? " " + PhysicalText(e) + " " : " group ");
  out->append(Printable(n.name));
  std::string annotation = Annotation(e);
  if (!annotation.empty()) out->append(" (" + annotation + ")");
  if (e.field_id) out->append(" = " + std::to_string(*e.field_id));
  if (n.is_leaf()) {
    out->append(";\n");
    return;
  }
  out->append(" {\n");
  for (const SchemaNode& c : n.children) AppendSchemaNode(c, depth + 1, out);
  out->append(static_cast<size_t>(depth) * 2, ' ');
  out->append("}\n");
}

void WriteSchemaNode(const FileReader& r, const SchemaNode& n, int depth, JsonWriter* w) {
  const SchemaElement& e = *n.element;
  w->BeginObject();
  w->Field("name", n.name);
  w->Field("repetition", format::RepetitionName(n.repetition));
  if (e.type) w->Field("physicalType", format::TypeName(*e.type));
  if (e.type_length) w->FieldInt("typeLength", *e.type_length);
  if (e.logical_type) w->Field("logicalType", format::ToString(*e.logical_type));
  if (e.converted_type) w->Field("convertedType", format::ConvertedTypeName(*e.converted_type));
  if (e.precision) w->FieldInt("precision", *e.precision);
  if (e.scale) w->FieldInt("scale", *e.scale);
  if (e.field_id) w->FieldInt("fieldId", *e.field_id);
  if (depth == 1) {
    int f = r.file_schema().schema()->FieldIndex(n.name);
    if (f >= 0) w->Field("columnarType", r.file_schema().schema()->fields[f].type->ToString());
  } else if (n.is_leaf()) {
    w->Field("columnarType", r.file_schema().column(n.column).type->ToString());
  }
  if (n.is_leaf()) {
    const ColumnDescriptor& c = r.file_schema().column(n.column);
    w->FieldInt("column", n.column);
    w->FieldInt("maxDefinitionLevel", c.max_def_level);
    w->FieldInt("maxRepetitionLevel", c.max_rep_level);
  } else {
    w->Key("children");
    w->BeginArray();
    for (const SchemaNode& c : n.children) WriteSchemaNode(r, c, depth + 1, w);
    w->EndArray();
  }
  w->EndObject();
}

// ---- Metadata: text ----

class TextBlock {
 public:
  TextBlock(std::string* out, int indent, int label_width)
      : out_(out), indent_(indent), width_(label_width) {}
  void Line(std::string_view label, std::string_view value) {
    out_->append(static_cast<size_t>(indent_), ' ');
    out_->append(label);
    if (static_cast<int>(label.size()) < width_) {
      out_->append(static_cast<size_t>(width_) - label.size(), ' ');
    }
    out_->append(" ");
    out_->append(value);
    out_->push_back('\n');
  }

 private:
  std::string* out_;
  int indent_;
  int width_;
};

std::string KeyValueText(const KeyValue& kv) {
  if (!kv.value) return Printable(kv.key) + " (no value)";
  return Printable(kv.key) + " = \"" + Printable(*kv.value) + "\"";
}

// One line if every column has the same order, else one line per column.
std::vector<std::string> ColumnOrdersText(const FileReader& r) {
  const FileMetaData& md = r.metadata();
  if (!md.column_orders) return {"absent (min_value/max_value are ignored)"};
  const auto& orders = *md.column_orders;
  const int n = r.file_schema().num_columns();
  std::vector<std::string> lines;
  bool same = !orders.empty();
  for (const auto& o : orders) same = same && o.kind == orders[0].kind;
  if (same) {
    lines.push_back(std::string(format::ColumnOrderName(orders[0].kind)) + " (all " +
                    std::to_string(orders.size()) + ")");
  } else {
    for (size_t i = 0; i < orders.size(); ++i) {
      lines.push_back(std::string(format::ColumnOrderName(orders[i].kind)) + "  " +
                      Printable(ColumnName(r, static_cast<int32_t>(i))));
    }
  }
  if (static_cast<int>(orders.size()) != n) {
    lines.push_back("(" + std::to_string(orders.size()) + " entries for " + std::to_string(n) +
                    " columns: ignored)");
  }
  return lines;
}

std::string OptText(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; }

// Exactness of a decoded bound: "true", "false", or "unknown" when the writer did not say
// (binary bounds, which statistics.h then treats as possibly truncated).
std::string_view Exactness(bool exact, const std::optional<bool>& stated) {
  if (exact) return "true";
  return stated ? "false" : "unknown";
}

const format::Statistics* RawStats(const ColumnChunk& chunk) {
  if (!chunk.meta_data || !chunk.meta_data->statistics) return nullptr;
  return &*chunk.meta_data->statistics;
}

// The statistics line, and *note the reason for anything dropped (empty if nothing was).
std::string StatsText(const ColumnChunk& chunk, const Result<ColumnChunkStats>& r,
                      std::string* note) {
  if (!r.ok()) return r.status().message();
  const ColumnChunkStats& s = *r;
  if (!s.present) return "none";
  *note = s.unusable_reason;
  const format::Statistics* raw = RawStats(chunk);
  std::string t;
  auto bound = [&](const char* name, const columnar::Scalar& v, bool exact,
                   const std::optional<bool>& stated) {
    t += name;
    t += v.is_null() ? std::string("-") : Printable(ValueJson(v));
    std::string_view e = Exactness(exact, stated);
    if (!v.is_null() && e != "true") t += e == "false" ? " (inexact)" : " (maybe truncated)";
  };
  bound("min ", s.min, s.min_exact, raw->is_min_value_exact);
  bound(", max ", s.max, s.max_exact, raw->is_max_value_exact);
  t += ", nulls " + OptText(s.null_count) + ", distinct " + OptText(s.distinct_count);
  if (s.nan_count) t += ", NaNs " + std::to_string(*s.nan_count);
  return t;
}

std::string EncodingsText(const ColumnMetaData& m) {
  std::string s;
  for (auto e : m.encodings) s += (s.empty() ? "" : " ") + std::string(format::EncodingName(e));
  if (s.empty()) s = "(none listed)";
  if (m.encoding_stats) {
    std::string es;
    for (const auto& st : *m.encoding_stats) {
      es += (es.empty() ? "" : ", ") + std::string(format::PageTypeName(st.page_type)) + ":" +
            std::string(format::EncodingName(st.encoding)) + " x" + std::to_string(st.count);
    }
    s += "  [" + es + "]";
  }
  return s;
}

std::string Span(int64_t offset, const std::optional<int32_t>& length) {
  return "@" + std::to_string(offset) + (length ? " +" + std::to_string(*length) : "");
}

void AppendChunkText(const FileReader& r, int column, const ColumnChunk& chunk, std::string* out) {
  *out +=
      "  column " + std::to_string(column) + ": " + Printable(ChunkPath(r, column, chunk)) + "\n";
  TextBlock b(out, 4, 13);
  const ColumnDescriptor& c = r.file_schema().column(column);
  std::string type = std::string(format::TypeName(c.physical_type));
  std::string annotation = Annotation(*c.element);
  if (!annotation.empty()) type += " " + annotation;
  b.Line("type", type + " -> " + c.type->ToString());
  if (chunk.file_path) b.Line("file path", Printable(*chunk.file_path));
  if (!chunk.meta_data) {
    b.Line("metadata", chunk.has_crypto_metadata ? "encrypted" : "absent");
    return;
  }
  const ColumnMetaData& m = *chunk.meta_data;
  b.Line("codec", format::CodecName(m.codec));
  b.Line("encodings", EncodingsText(m));
  b.Line("values", std::to_string(m.num_values));
  b.Line("size", std::to_string(m.total_compressed_size) + " compressed, " +
                     std::to_string(m.total_uncompressed_size) + " uncompressed");
  std::string pages = "data @" + std::to_string(m.data_page_offset);
  if (m.dictionary_page_offset) {
    pages += ", dictionary @" + std::to_string(*m.dictionary_page_offset);
  }
  if (m.index_page_offset) pages += ", index @" + std::to_string(*m.index_page_offset);
  b.Line("pages", pages);
  if (chunk.column_index_offset || chunk.offset_index_offset) {
    std::string pi;
    if (chunk.column_index_offset) {
      pi += "column index " + Span(*chunk.column_index_offset, chunk.column_index_length);
    }
    if (chunk.offset_index_offset) {
      pi += std::string(pi.empty() ? "" : ", ") + "offset index " +
            Span(*chunk.offset_index_offset, chunk.offset_index_length);
    }
    b.Line("page index", pi);
  }
  if (m.bloom_filter_offset) {
    b.Line("bloom filter", Span(*m.bloom_filter_offset, m.bloom_filter_length));
  }
  if (m.key_value_metadata) {
    for (const KeyValue& kv : *m.key_value_metadata) b.Line("key/value", KeyValueText(kv));
  }
  std::string note;
  auto stats = DecodeChunkStatistics(r.metadata(), c, chunk);
  b.Line("statistics", StatsText(chunk, stats, &note));
  if (!note.empty()) {
    const bool dropped = !stats->has_min() && !stats->has_max();
    b.Line("", std::string(dropped ? "stats unusable: " : "stats note: ") + Printable(note, 400));
  }
}

void AppendRowGroupText(const FileReader& r, int g, std::string* out) {
  const RowGroup& rg = r.metadata().row_groups[static_cast<size_t>(g)];
  std::string head = "row group " + std::to_string(g) + ": " + std::to_string(rg.num_rows) +
                     " rows, total byte size " + std::to_string(rg.total_byte_size);
  if (rg.total_compressed_size) head += ", compressed " + std::to_string(*rg.total_compressed_size);
  if (rg.file_offset) head += ", file offset " + std::to_string(*rg.file_offset);
  if (rg.ordinal) head += ", ordinal " + std::to_string(*rg.ordinal);
  *out += head + "\n";
  if (rg.sorting_columns) {
    std::string s;
    for (const auto& sc : *rg.sorting_columns) {
      s += (s.empty() ? "" : ", ") + ColumnName(r, sc.column_idx) +
           (sc.descending ? " DESC" : " ASC") + (sc.nulls_first ? " NULLS FIRST" : " NULLS LAST");
    }
    *out += "  sorted by: " + (s.empty() ? "(empty list)" : s) + "\n";
  }
  for (size_t i = 0; i < rg.columns.size(); ++i) {
    AppendChunkText(r, static_cast<int>(i), rg.columns[i], out);
  }
}

// ---- Metadata: JSON ----

void WriteKeyValues(const std::vector<KeyValue>& kvs, JsonWriter* w) {
  w->BeginArray();
  for (const KeyValue& kv : kvs) {
    w->BeginObject();
    w->Field("key", kv.key);
    w->Key("value");
    if (kv.value) {
      w->String(*kv.value);
    } else {
      w->Null();
    }
    w->EndObject();
  }
  w->EndArray();
}

void WriteStatsJson(const ColumnChunk& chunk, const Result<ColumnChunkStats>& r, JsonWriter* w) {
  w->Key("statistics");
  if (!r.ok()) {
    w->BeginObject();
    w->Field("error", r.status().message());
    w->EndObject();
    return;
  }
  const ColumnChunkStats& s = *r;
  if (!s.present) {
    w->Null();
    return;
  }
  const format::Statistics* raw = RawStats(chunk);
  auto bound = [&](const char* name, const char* exact_key, const columnar::Scalar& v, bool exact,
                   const std::optional<bool>& stated) {
    if (v.is_null()) return;
    w->Key(name);
    w->Raw(ValueJson(v));
    w->Key(exact_key);
    std::string_view e = Exactness(exact, stated);
    if (e == "unknown") {
      w->Null();
    } else {
      w->Bool(e == "true");
    }
  };
  w->BeginObject();
  bound("min", "minExact", s.min, s.min_exact, raw->is_min_value_exact);
  bound("max", "maxExact", s.max, s.max_exact, raw->is_max_value_exact);
  if (s.null_count) w->FieldInt("nullCount", *s.null_count);
  if (s.distinct_count) w->FieldInt("distinctCount", *s.distinct_count);
  if (s.nan_count) w->FieldInt("nanCount", *s.nan_count);
  if (!s.unusable_reason.empty()) {
    w->Field(s.has_min() || s.has_max() ? "note" : "unusable", s.unusable_reason);
  }
  w->EndObject();
}

void FieldOpt(JsonWriter* w, std::string_view key, const std::optional<int64_t>& v) {
  if (v) w->FieldInt(key, *v);
}

void WriteChunkJson(const FileReader& r, int column, const ColumnChunk& chunk, JsonWriter* w) {
  const ColumnDescriptor& c = r.file_schema().column(column);
  w->BeginObject();
  w->Key("path");
  w->BeginArray();
  for (const auto& p : c.path) w->String(p);
  w->EndArray();
  w->Field("physicalType", format::TypeName(c.physical_type));
  if (c.element->logical_type) w->Field("logicalType", format::ToString(*c.element->logical_type));
  if (c.element->converted_type) {
    w->Field("convertedType", format::ConvertedTypeName(*c.element->converted_type));
  }
  w->Field("columnarType", c.type->ToString());
  if (chunk.file_path) w->Field("filePath", *chunk.file_path);
  if (chunk.has_crypto_metadata) w->FieldBool("encrypted", true);
  FieldOpt(w, "columnIndexOffset", chunk.column_index_offset);
  FieldOpt(w, "columnIndexLength", chunk.column_index_length);
  FieldOpt(w, "offsetIndexOffset", chunk.offset_index_offset);
  FieldOpt(w, "offsetIndexLength", chunk.offset_index_length);
  if (chunk.meta_data) {
    const ColumnMetaData& m = *chunk.meta_data;
    if (m.path_in_schema != c.path) {
      w->Key("pathInSchema");
      w->BeginArray();
      for (const auto& p : m.path_in_schema) w->String(p);
      w->EndArray();
    }
    w->Field("codec", format::CodecName(m.codec));
    w->Key("encodings");
    w->BeginArray();
    for (auto e : m.encodings) w->String(format::EncodingName(e));
    w->EndArray();
    if (m.encoding_stats) {
      w->Key("encodingStats");
      w->BeginArray();
      for (const auto& st : *m.encoding_stats) {
        w->BeginObject();
        w->Field("pageType", format::PageTypeName(st.page_type));
        w->Field("encoding", format::EncodingName(st.encoding));
        w->FieldInt("count", st.count);
        w->EndObject();
      }
      w->EndArray();
    }
    w->FieldInt("numValues", m.num_values);
    w->FieldInt("totalCompressedSize", m.total_compressed_size);
    w->FieldInt("totalUncompressedSize", m.total_uncompressed_size);
    w->FieldInt("dataPageOffset", m.data_page_offset);
    FieldOpt(w, "dictionaryPageOffset", m.dictionary_page_offset);
    FieldOpt(w, "indexPageOffset", m.index_page_offset);
    FieldOpt(w, "bloomFilterOffset", m.bloom_filter_offset);
    FieldOpt(w, "bloomFilterLength", m.bloom_filter_length);
    if (m.size_statistics) {
      FieldOpt(w, "unencodedByteArrayDataBytes",
               m.size_statistics->unencoded_byte_array_data_bytes);
    }
    if (m.key_value_metadata) {
      w->Key("keyValueMetadata");
      WriteKeyValues(*m.key_value_metadata, w);
    }
  }
  WriteStatsJson(chunk, DecodeChunkStatistics(r.metadata(), c, chunk), w);
  w->EndObject();
}

void WriteRowGroupJson(const FileReader& r, int g, JsonWriter* w) {
  const RowGroup& rg = r.metadata().row_groups[static_cast<size_t>(g)];
  w->BeginObject();
  w->FieldInt("index", g);
  w->FieldInt("numRows", rg.num_rows);
  w->FieldInt("totalByteSize", rg.total_byte_size);
  FieldOpt(w, "totalCompressedSize", rg.total_compressed_size);
  FieldOpt(w, "fileOffset", rg.file_offset);
  FieldOpt(w, "ordinal", rg.ordinal);
  if (rg.sorting_columns) {
    w->Key("sortingColumns");
    w->BeginArray();
    for (const auto& sc : *rg.sorting_columns) {
      w->BeginObject();
      w->FieldInt("columnIndex", sc.column_idx);
      w->Field("column", ColumnName(r, sc.column_idx));
      w->FieldBool("descending", sc.descending);
      w->FieldBool("nullsFirst", sc.nulls_first);
      w->EndObject();
    }
    w->EndArray();
  }
  w->Key("columns");
  w->BeginArray();
  for (size_t i = 0; i < rg.columns.size(); ++i) {
    WriteChunkJson(r, static_cast<int>(i), rg.columns[i], w);
  }
  w->EndArray();
  w->EndObject();
}

}  // namespace

std::string DescribeSchemaText(const FileReader& r) {
  const SchemaNode& root = r.file_schema().root();
  std::string out = "message " + Printable(root.name) + " {\n";
  for (const SchemaNode& c : root.children) AppendSchemaNode(c, 1, &out);
  out += "}\n\n";
  for (const columnar::Field& f : r.file_schema().schema()->fields) {
    out += Printable(f.name) + ": " + f.type->ToString() + (f.nullable ? "" : " not null") + "\n";
  }
  return out;
}

std::string DescribeSchemaJson(const FileReader& r) {
  std::string out;
  JsonWriter w(&out);
  const SchemaNode& root = r.file_schema().root();
  w.BeginObject();
  w.Field("name", root.name);
  w.Key("children");
  w.BeginArray();
  for (const SchemaNode& c : root.children) WriteSchemaNode(r, c, 1, &w);
  w.EndArray();
  w.Key("fields");
  w.BeginArray();
  for (const columnar::Field& f : r.file_schema().schema()->fields) {
    w.BeginObject();
    w.Field("name", f.name);
    w.Field("type", f.type->ToString());
    w.FieldBool("nullable", f.nullable);
    if (f.field_id >= 0) w.FieldInt("fieldId", f.field_id);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out.push_back('\n');
  return out;
}

std::string DescribeMetaText(const FileReader& r, int64_t file_size) {
  const FileMetaData& md = r.metadata();
  std::string out;
  TextBlock b(&out, 0, 14);
  b.Line("file", Printable(r.path(), 400));
  file_size = FileSize(r, file_size);
  if (file_size >= 0) {
    std::string size = std::to_string(file_size) + " bytes";
    if (file_size >= 1024) size += " (" + FormatBytes(static_cast<double>(file_size)) + ")";
    b.Line("file size", size);
  }
  b.Line("version", std::to_string(md.version));
  b.Line("created by", md.created_by ? Printable(*md.created_by, 400) : "(absent)");
  std::string rows = std::to_string(r.num_rows());
  if (md.num_rows != r.num_rows()) rows += " (footer says " + std::to_string(md.num_rows) + ")";
  b.Line("rows", rows);
  b.Line("row groups", std::to_string(r.num_row_groups()));
  b.Line("columns", std::to_string(r.file_schema().num_columns()));
  std::vector<std::string> orders = ColumnOrdersText(r);
  for (size_t i = 0; i < orders.size(); ++i) b.Line(i == 0 ? "column orders" : "", orders[i]);
  if (md.key_value_metadata) {
    b.Line("key/value", std::to_string(md.key_value_metadata->size()) + " entries");
    for (const KeyValue& kv : *md.key_value_metadata) out += "  " + KeyValueText(kv) + "\n";
  }
  for (int g = 0; g < r.num_row_groups(); ++g) {
    out += "\n";
    AppendRowGroupText(r, g, &out);
  }
  return out;
}

std::string DescribeMetaJson(const FileReader& r, int64_t file_size) {
  const FileMetaData& md = r.metadata();
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("file", r.path());
  file_size = FileSize(r, file_size);
  if (file_size >= 0) w.FieldInt("fileSize", file_size);
  w.FieldInt("version", md.version);
  if (md.created_by) w.Field("createdBy", *md.created_by);
  w.FieldInt("numRows", r.num_rows());
  w.FieldInt("footerNumRows", md.num_rows);
  w.FieldInt("numRowGroups", r.num_row_groups());
  w.FieldInt("numColumns", r.file_schema().num_columns());
  if (md.key_value_metadata) {
    w.Key("keyValueMetadata");
    WriteKeyValues(*md.key_value_metadata, &w);
  }
  if (md.column_orders) {
    w.Key("columnOrders");
    w.BeginArray();
    for (const auto& o : *md.column_orders) w.String(format::ColumnOrderName(o.kind));
    w.EndArray();
  }
  w.Key("rowGroups");
  w.BeginArray();
  for (int g = 0; g < r.num_row_groups(); ++g) WriteRowGroupJson(r, g, &w);
  w.EndArray();
  w.EndObject();
  out.push_back('\n');
  return out;
}

}  // namespace ds::parquet
