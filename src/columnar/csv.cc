#include "columnar/csv.h"

#include <string>
#include <vector>

#include "columnar/json_rows.h"

namespace ds::columnar {
namespace {

struct Cell {
  std::string text;
  bool quoted = false;
};

// Reads one record starting at *pos; returns false at end of input.
Result<bool> ReadRecord(std::string_view s, size_t* pos, int64_t* line, std::vector<Cell>* cells) {
  cells->clear();
  if (*pos >= s.size()) return false;
  Cell cell;
  size_t i = *pos;
  while (true) {
    if (i < s.size() && s[i] == '"' && cell.text.empty() && !cell.quoted) {
      cell.quoted = true;
      ++i;
      while (true) {
        if (i >= s.size())
          return Status::InvalidArgument("line " + std::to_string(*line) + ": unterminated quote");
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            cell.text.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (s[i] == '\n') ++*line;
        cell.text.push_back(s[i++]);
      }
      continue;
    }
    if (i >= s.size() || s[i] == '\n' || (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ||
        (s[i] == '\r' && i + 1 == s.size())) {
      cells->push_back(std::move(cell));
      if (i < s.size() && s[i] == '\r') ++i;
      if (i < s.size()) ++i;
      *pos = i;
      ++*line;
      return true;
    }
    if (s[i] == ',') {
      cells->push_back(std::move(cell));
      cell = Cell();
      ++i;
      continue;
    }
    if (cell.quoted)
      return Status::InvalidArgument("line " + std::to_string(*line) +
                                     ": unexpected character after a closing quote");
    cell.text.push_back(s[i++]);
  }
}

}  // namespace

Result<RecordBatch> ParseCsv(std::string_view text, const SchemaPtr& schema) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // BOM
  size_t pos = 0;
  int64_t line = 1;
  std::vector<Cell> cells;
  ASSIGN_OR_RETURN(bool has_header, ReadRecord(text, &pos, &line, &cells));
  if (!has_header) return Status::InvalidArgument("CSV input is empty (a header row is required)");
  std::vector<int> column_of_cell;
  std::vector<bool> present(schema->fields.size(), false);
  for (const Cell& c : cells) {
    int idx = schema->FieldIndex(c.text);
    if (idx < 0)
      return Status::InvalidArgument("CSV header: '" + c.text + "' is not a column of the schema");
    if (present[idx])
      return Status::InvalidArgument("CSV header: column '" + c.text + "' appears twice");
    present[idx] = true;
    column_of_cell.push_back(idx);
  }
  for (size_t f = 0; f < schema->fields.size(); ++f) {
    if (!present[f] && !schema->fields[f].nullable)
      return Status::InvalidArgument("CSV header lacks non-nullable column '" +
                                     schema->fields[f].name + "'");
  }
  auto builders = MakeBuilders(*schema);
  int64_t rows = 0;
  while (true) {
    int64_t record_line = line;
    ASSIGN_OR_RETURN(bool more, ReadRecord(text, &pos, &line, &cells));
    if (!more) break;
    if (cells.size() == 1 && cells[0].text.empty() && !cells[0].quoted) continue;  // blank line
    if (cells.size() != column_of_cell.size())
      return Status::InvalidArgument("line " + std::to_string(record_line) + ": expected " +
                                     std::to_string(column_of_cell.size()) + " cells, got " +
                                     std::to_string(cells.size()));
    std::vector<const Cell*> by_column(schema->fields.size(), nullptr);
    for (size_t k = 0; k < cells.size(); ++k) by_column[column_of_cell[k]] = &cells[k];
    for (size_t f = 0; f < schema->fields.size(); ++f) {
      const Field& field = schema->fields[f];
      const Cell* c = by_column[f];
      auto where = "line " + std::to_string(record_line) + ", column '" + field.name + "'";
      JsonValue v;
      if (c && (c->quoted || !c->text.empty())) {
        if (IsNested(field.type->id)) {
          auto parsed = ParseJson(c->text);
          if (!parsed.ok()) return parsed.status().WithContext(where);
          v = std::move(parsed).value();
        } else {
          v = JsonValue::String(c->text);
        }
      }
      if (v.is_null() && !field.nullable)
        return Status::InvalidArgument(where + ": null in a non-nullable column");
      RETURN_NOT_OK_CTX(AppendJsonValue(v, builders[f].get()), where);
    }
    ++rows;
  }
  return FinishBatch(schema, rows, &builders);
}

}  // namespace ds::columnar
