// `deltashare parquet ...`: inspect, print and write Parquet files.
#include <memory>
#include <string>

#include "apps/deltashare/commands.h"
#include "columnar/csv.h"
#include "columnar/json_rows.h"
#include "columnar/schema_json.h"
#include "parquet/describe.h"
#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "util/string_util.h"

namespace ds::cli {
namespace {

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  for (auto part : Split(s, ',')) {
    std::string_view t = Trim(part);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

Result<std::unique_ptr<parquet::FileReader>> OpenParquet(const std::string& path,
                                                         parquet::ReaderOptions options = {}) {
  ASSIGN_OR_RETURN(auto file, io::OpenLocalFile(path));
  return parquet::FileReader::Open(file, std::move(options));
}

Status Cat(const std::string& path, const std::string& columns, int64_t limit) {
  parquet::ReaderOptions options;
  options.columns = SplitList(columns);
  if (limit >= 0 && limit < options.batch_size) options.batch_size = std::max<int64_t>(limit, 1);
  ASSIGN_OR_RETURN(auto reader, OpenParquet(path, options));
  Stdout out;
  std::string line;
  int64_t printed = 0;
  while (limit < 0 || printed < limit) {
    ASSIGN_OR_RETURN(auto batch, reader->Next());
    if (!batch) break;
    for (int64_t r = 0; r < batch->num_rows && (limit < 0 || printed < limit); ++r, ++printed) {
      line.clear();
      columnar::AppendRowJson(*batch, r, &line);
      line.push_back('\n');
      out.Write(line);
    }
  }
  return out.Flush();
}

Status Write(const std::string& input, const std::string& schema_path, const std::string& output,
             const std::string& compression) {
  ASSIGN_OR_RETURN(std::string schema_text, io::ReadFileToString(schema_path));
  auto schema = columnar::SchemaFromJson(schema_text);
  if (!schema.ok()) return schema.status().WithContext(schema_path);
  ASSIGN_OR_RETURN(std::string data, io::ReadFileToString(input));
  Result<columnar::RecordBatch> batch = EndsWith(ToLower(input), ".csv")
                                            ? columnar::ParseCsv(data, *schema)
                                            : columnar::ParseJsonLines(data, *schema);
  if (!batch.ok()) return batch.status().WithContext(input);
  parquet::WriterOptions options;
  ASSIGN_OR_RETURN(options.codec, parquet::ParseCodecName(compression));
  // Write to a temporary name and rename, so a failed write never leaves a partial file.
  std::string tmp = output + ".tmp";
  Status st = parquet::WriteParquetFile(tmp, *batch, options);
  if (st.ok() && std::rename(tmp.c_str(), output.c_str()) != 0)
    st = Status::IOError("cannot rename '" + tmp + "' to '" + output + "'");
  if (!st.ok()) std::remove(tmp.c_str());
  return st;
}

// A command printing a description of FILE as text or (--json) JSON.
void AddDescribeCommand(CLI::App* group, Action* action, const std::string& name,
                        const std::string& help,
                        std::function<std::string(const parquet::FileReader&, bool)> describe) {
  auto* cmd = group->add_subcommand(name, help);
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("FILE", *path, "Parquet file")->required();
  cmd->add_flag("--json", *json, "Print JSON instead of text");
  cmd->callback([=] {
    *action = [=]() -> Status {
      ASSIGN_OR_RETURN(auto reader, OpenParquet(*path));
      Stdout out;
      out.Write(describe(*reader, *json));
      return out.Flush();
    };
  });
}

void RegisterParquetCommands(CLI::App* app, Action* action) {
  CLI::App* group = app->add_subcommand("parquet", "Inspect, print and write Parquet files");
  group->require_subcommand(1);

  {
    auto* cmd = group->add_subcommand("cat", "Print rows as JSON Lines (one object per row)");
    auto path = std::make_shared<std::string>();
    auto columns = std::make_shared<std::string>();
    auto limit = std::make_shared<int64_t>(-1);
    cmd->add_option("FILE", *path, "Parquet file")->required();
    cmd->add_option("--columns", *columns, "Comma-separated top-level columns to print");
    cmd->add_option("--limit", *limit, "Print at most N rows")->check(CLI::NonNegativeNumber);
    cmd->callback([=] { *action = [=] { return Cat(*path, *columns, *limit); }; });
  }
  {
    auto* cmd = group->add_subcommand("write", "Write JSON Lines or CSV rows to a Parquet file");
    auto input = std::make_shared<std::string>();
    auto schema = std::make_shared<std::string>();
    auto output = std::make_shared<std::string>();
    auto compression = std::make_shared<std::string>("snappy");
    cmd->add_option("--input", *input,
                    "Rows: FILE.jsonl (one JSON object per line) or FILE.csv (with a header)")
        ->required();
    cmd->add_option("--schema", *schema,
                    "Schema in Delta's JSON format ({\"type\":\"struct\",\"fields\":[...]})")
        ->required();
    cmd->add_option("-o,--output", *output, "Parquet file to create")->required();
    cmd->add_option("--compression", *compression, "snappy, zstd, gzip, lz4_raw, brotli or none")
        ->capture_default_str();
    cmd->callback([=] { *action = [=] { return Write(*input, *schema, *output, *compression); }; });
  }
  AddDescribeCommand(group, action, "schema", "Print the schema tree",
                     [](const parquet::FileReader& r, bool json) {
                       return json ? parquet::DescribeSchemaJson(r)
                                   : parquet::DescribeSchemaText(r);
                     });
  AddDescribeCommand(group, action, "meta", "Print file, row group and column chunk metadata",
                     [](const parquet::FileReader& r, bool json) {
                       return json ? parquet::DescribeMetaJson(r, r.file_size())
                                   : parquet::DescribeMetaText(r, r.file_size());
                     });
}

}  // namespace

DS_COMMAND_GROUP(10, RegisterParquetCommands);

}  // namespace ds::cli
