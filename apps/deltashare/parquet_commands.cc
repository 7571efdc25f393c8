// `deltashare parquet ...`: inspect, print and write Parquet files.
#include <memory>
#include <string>

#include "apps/deltashare/commands.h"
#include "columnar/json_rows.h"
#include "parquet/file_reader.h"
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

}  // namespace

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
    auto* cmd = group->add_subcommand("schema", "Print the schema tree");
    auto path = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("FILE", *path, "Parquet file")->required();
    cmd->add_flag("--json", *json, "Print JSON instead of text");
    cmd->callback([=] {
      *action = [=]() -> Status {
        ASSIGN_OR_RETURN(auto reader, OpenParquet(*path));
        Stdout out;
        out.Write(reader->schema()->ToString());
        return out.Flush();
      };
    });
  }
  {
    auto* cmd = group->add_subcommand("meta", "Print file, row group and column chunk metadata");
    auto path = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("FILE", *path, "Parquet file")->required();
    cmd->add_flag("--json", *json, "Print JSON instead of text");
    cmd->callback([=] {
      *action = [=]() -> Status {
        ASSIGN_OR_RETURN(auto reader, OpenParquet(*path));
        Stdout out;
        out.Write("todo");
        return out.Flush();
      };
    });
  }
}

}  // namespace ds::cli
