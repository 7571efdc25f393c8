// `deltashare admin ...`: manage the access store — shares and tables, recipients, grants,
// tokens, profiles, activation links, OAuth clients, key versions and the audit log.
//
// Every command takes --store URL (or $DELTASHARE_STORE): sqlite:PATH, postgresql://… or
// memory:. Commands that mint or check credentials also need the master key:
// --master-key-file FILE or $DELTASHARE_MASTER_KEY. Secrets (tokens, client secrets,
// activation URLs) are printed once, alone on stdout, so scripts can capture them; listings
// are aligned columns, or JSON Lines with --json.
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "access/access_store.h"
#include "access/duration.h"
#include "access/key_ring.h"
#include "access/model_json.h"
#include "access/model_text.h"
#include "access/secret_file.h"
#include "access/token_service.h"
#include "apps/deltashare/commands.h"
#include "sharing/protocol/profile.h"
#include "util/civil_time.h"
#include "util/json.h"
#include "util/string_util.h"

namespace ds::cli {
namespace {

using access::AccessStorePtr;


struct Context {
  std::string store_url;
  std::string master_key_file;
  AccessStorePtr store;

  Result<AccessStorePtr> Store() {
    if (store) return store;
    if (store_url.empty()) {
      return Status::InvalidArgument("no access store: pass --store URL or set DELTASHARE_STORE");
    }
    ASSIGN_OR_RETURN(store, access::OpenAccessStore(store_url));
    return store;
  }

  // A token service whose key ring knows the store's key versions.
  Result<std::unique_ptr<access::TokenService>> Tokens() {
    ASSIGN_OR_RETURN(AccessStorePtr s, Store());
    ASSIGN_OR_RETURN(access::MasterKey master, access::MasterKey::Load(master_key_file));
    auto keys = std::make_shared<access::KeyRing>(std::move(master));
    ASSIGN_OR_RETURN(auto versions, s->ListKeyVersions());
    RETURN_NOT_OK(keys->SetVersions(versions));
    return std::make_unique<access::TokenService>(s, std::move(keys));
  }
};
using ContextPtr = std::shared_ptr<Context>;

// --- Output --------------------------------------------------------------------------------

template <typename T>
std::string JsonLine(const T& value) {
  std::string out;
  JsonWriter w(&out);
  access::WriteJson(value, &w);
  return out + "\n";
}

Status Print(const std::string& text) {
  Stdout out;
  out.Write(text);
  return out.Flush();
}

// --- Input ---------------------------------------------------------------------------------

Result<access::Properties> ParseProperties(const std::vector<std::string>& items) {
  access::Properties out;
  for (const auto& item : items) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("--property '" + item + "' is not KEY=VALUE");
    }
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  RETURN_NOT_OK(access::NormalizeProperties(&out));
  return out;
}

Result<std::optional<int64_t>> ParseOptionalDuration(const std::string& text) {
  if (text.empty()) return std::optional<int64_t>();
  ASSIGN_OR_RETURN(int64_t seconds, access::ParseDurationSeconds(text));
  return std::optional<int64_t>(seconds);
}

// An audit time bound: ISO 8601, or a duration meaning that long ago ("2h").
Result<std::optional<int64_t>> ParseTimeBound(const std::string& text, int64_t now_ms) {
  if (text.empty()) return std::optional<int64_t>();
  if (auto ago = access::ParseDurationSeconds(text); ago.ok()) {
    return std::optional<int64_t>(now_ms - *ago * 1000);
  }
  auto micros = ParseTimestampMicros(text);
  if (!micros.ok()) {
    return Status::InvalidArgument("'" + text + "' is neither an ISO 8601 time nor a duration");
  }
  return std::optional<int64_t>(*micros / 1000);
}

Status CheckEndpoint(const std::string& endpoint) {
  if (!StartsWith(endpoint, "https://") && !StartsWith(endpoint, "http://")) {
    return Status::InvalidArgument(
        "--endpoint must be an http:// or https:// URL, e.g. "
        "https://sharing.example.com/delta-sharing");
  }
  return Status::OK();
}

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

template <typename T, typename Fn>
Result<std::vector<T>> ListAll(Fn list) {
  std::vector<T> all;
  access::ListOptions options;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<T> page, list(options));
    all.insert(all.end(), page.begin(), page.end());
    if (static_cast<int>(page.size()) < options.limit) return all;
    options.after = page.back().name;
  }
}

// --- Registration helpers ------------------------------------------------------------------

void Run(CLI::App* cmd, Action* action, std::function<Status()> fn) {
  cmd->callback([action, fn = std::move(fn)] { *action = fn; });
}

CLI::App* Group(CLI::App* parent, const std::string& name, const std::string& help) {
  CLI::App* g = parent->add_subcommand(name, help);
  g->require_subcommand(1);
  return g;
}

// Prints `items` as aligned columns, or as JSON Lines when `json`.
template <typename T, typename RowFn>
Status PrintList(const std::vector<T>& items, bool json, std::vector<std::string> header,
                 RowFn row) {
  Stdout out;
  access::TextTable table(std::move(header));
  for (const T& item : items) {
    if (json) {
      out.Write(JsonLine(item));
    } else {
      table.Add(row(item));
    }
  }
  if (!json) out.Write(table.ToString());
  return out.Flush();
}

// A command taking positional ARGS (name, help) that runs `fn` on the store.
using StoreFn = std::function<Status(access::AccessStore&, const std::vector<std::string>&)>;
void AddStoreCommand(CLI::App* group, Action* action, const ContextPtr& ctx,
                     const std::string& name, const std::string& help,
                     const std::vector<std::pair<std::string, std::string>>& args, StoreFn fn) {
  auto* cmd = group->add_subcommand(name, help);
  auto values = std::make_shared<std::vector<std::string>>(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    cmd->add_option(args[i].first, (*values)[i], args[i].second)->required();
  }
  Run(cmd, action, [=]() -> Status {
    ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
    return fn(*store, *values);
  });
}

// A listing command with --json.
void AddListCommand(CLI::App* group, Action* action, const ContextPtr& ctx, const std::string& help,
                    std::function<Status(access::AccessStore&, bool)> fn) {
  auto* cmd = group->add_subcommand("list", help);
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "JSON Lines");
  Run(cmd, action, [=]() -> Status {
    ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
    return fn(*store, *json);
  });
}

Result<std::vector<access::Recipient>> AllRecipients(access::AccessStore& store) {
  return ListAll<access::Recipient>(
      [&](const access::ListOptions& o) { return store.ListRecipients(o); });
}

// --- shares --------------------------------------------------------------------------------

const std::pair<std::string, std::string> kShareArg{"SHARE", "Share name"};
const std::pair<std::string, std::string> kSchemaArg{"SCHEMA", "Schema name"};
const std::pair<std::string, std::string> kRecipientArg{"RECIPIENT", "Recipient name"};

void AddShareCommands(CLI::App* admin, Action* action, const ContextPtr& ctx) {
  CLI::App* g = Group(admin, "shares", "Shares, their schemas and tables");
  {
    auto* cmd = g->add_subcommand("create", "Create a share (prints its id)");
    auto share = std::make_shared<access::Share>();
    auto props = std::make_shared<std::vector<std::string>>();
    cmd->add_option("NAME", share->name, "Share name")->required();
    cmd->add_option("--comment", share->comment, "Description shown to recipients");
    cmd->add_option("--property", *props, "KEY=VALUE (repeatable)");
    Run(cmd, action, [=]() -> Status {
      ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
      access::Share s = *share;
      ASSIGN_OR_RETURN(s.properties, ParseProperties(*props));
      ASSIGN_OR_RETURN(access::Share created, store->CreateShare(s));
      return Print(created.id + "\n");
    });
  }
  AddListCommand(g, action, ctx, "List shares", [](access::AccessStore& store, bool json) {
    ASSIGN_OR_RETURN(auto shares, ListAll<access::Share>([&](const access::ListOptions& o) {
                       return store.ListShares(o);
                     }));
    return PrintList(shares, json, access::ShareHeader(), access::ShareRow);
  });
  {
    auto* cmd = g->add_subcommand("show", "Show a share's schemas and tables");
    auto name = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("NAME", *name, "Share name")->required();
    cmd->add_flag("--json", *json, "JSON");
    Run(cmd, action, [=]() -> Status {
      ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
      ASSIGN_OR_RETURN(access::Share s, store->GetShare(*name));
      if (*json) return Print(JsonLine(s));
      access::TextTable table(access::TableHeader());
      for (auto& row : access::TableRows(s)) table.Add(std::move(row));
      return Print(table.ToString());
    });
  }
  AddStoreCommand(
      g, action, ctx, "delete", "Delete a share, its tables and its grants", {kShareArg},
      [](access::AccessStore& store, const auto& a) { return store.DeleteShare(a[0]); });
  AddStoreCommand(
      g, action, ctx, "add-schema", "Add an empty schema to a share", {kShareArg, kSchemaArg},
      [](access::AccessStore& store, const auto& a) { return store.AddSchema(a[0], a[1]); });
  AddStoreCommand(
      g, action, ctx, "remove-schema", "Remove a schema and its tables", {kShareArg, kSchemaArg},
      [](access::AccessStore& store, const auto& a) { return store.DeleteSchema(a[0], a[1]); });
  {
    auto* cmd = g->add_subcommand(
        "add-table", "Share a Delta table; the schema is created if new (prints the table id)");
    auto share = std::make_shared<std::string>();
    auto schema = std::make_shared<std::string>();
    auto table = std::make_shared<access::Table>();
    cmd->add_option("SHARE", *share, "Share name")->required();
    cmd->add_option("SCHEMA", *schema, "Schema name")->required();
    cmd->add_option("TABLE", table->name, "Table name")->required();
    cmd->add_option("--location", table->location,
                    "Table root (the folder holding _delta_log): a path or an s3://, abfss://, "
                    "gs:// or file:// URI")
        ->required();
    cmd->add_flag("--history-shared", table->history_shared,
                  "Allow time travel and the change data feed");
    cmd->add_option("--start-version", table->start_version, "First version recipients may read")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--encrypted", table->encrypted,
                  "The table is sealed at rest under the share's data key (deltashare table write "
                  "--encrypt); the server decrypts it. Local locations only");
    cmd->add_option("--comment", table->comment, "Description");
    cmd->add_option("--id", table->id, "Table id (default: a new UUID)");
    Run(cmd, action, [=]() -> Status {
      ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
      ASSIGN_OR_RETURN(access::Table added, store->AddTable(*share, *schema, *table));
      return Print(added.id + "\n");
    });
  }
  AddStoreCommand(g, action, ctx, "remove-table", "Stop sharing a table",
                  {kShareArg, kSchemaArg, {"TABLE", "Table name"}},
                  [](access::AccessStore& store, const auto& a) {
                    return store.DeleteTable(a[0], a[1], a[2]);
                  });
}

// --- recipients ----------------------------------------------------------------------------

struct RecipientFlags {
  std::string comment;
  std::string lifetime;
  std::vector<std::string> ip_allow;
  std::optional<int64_t> rate_limit;
  std::vector<std::string> properties;
  bool clear_ip_allow = false;
};

void AddRecipientFlags(CLI::App* cmd, RecipientFlags* f) {
  cmd->add_option("--comment", f->comment, "Description");
  cmd->add_option("--token-lifetime", f->lifetime,
                  "Default lifetime of its tokens, e.g. 24h, 7d (default 24h)");
  cmd->add_option("--ip-allow", f->ip_allow,
                  "Allowed client addresses as CIDR, e.g. 10.0.0.0/8 (repeatable)");
  cmd->add_option("--rate-limit", f->rate_limit, "Requests per minute per token (0 = no limit)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--property", f->properties, "KEY=VALUE (repeatable)");
}

// Applies the flags given; with `update`, flags not given keep the recipient's values.
Status ApplyRecipientFlags(const RecipientFlags& f, bool update, access::Recipient* r) {
  if (!update || !f.comment.empty()) r->comment = f.comment;
  ASSIGN_OR_RETURN(auto lifetime, ParseOptionalDuration(f.lifetime));
  if (lifetime) r->token_lifetime_seconds = *lifetime;
  if (!f.ip_allow.empty() || f.clear_ip_allow) r->ip_allow = f.ip_allow;
  if (f.rate_limit) r->rate_limit_per_minute = *f.rate_limit;
  if (!update || !f.properties.empty()) {
    ASSIGN_OR_RETURN(r->properties, ParseProperties(f.properties));
  }
  return Status::OK();
}

void AddRecipientCommands(CLI::App* admin, Action* action, const ContextPtr& ctx) {
  CLI::App* g = Group(admin, "recipients", "Recipients: who data is shared with");
  for (bool update : {false, true}) {
    auto* cmd = update ? g->add_subcommand("update",
                                           "Change a recipient's settings (flags not "
                                           "given keep their values)")
                       : g->add_subcommand("create", "Create a recipient (prints its id)");
    auto name = std::make_shared<std::string>();
    auto flags = std::make_shared<RecipientFlags>();
    cmd->add_option("NAME", *name, "Recipient name")->required();
    AddRecipientFlags(cmd, flags.get());
    if (update) cmd->add_flag("--clear-ip-allow", flags->clear_ip_allow, "Allow every address");
    Run(cmd, action, [=]() -> Status {
      ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
      if (update) {
        ASSIGN_OR_RETURN(access::Recipient r, store->GetRecipient(*name));
        RETURN_NOT_OK(ApplyRecipientFlags(*flags, true, &r));
        return store->UpdateRecipient(r);
      }
      access::Recipient r;
      r.name = *name;
      RETURN_NOT_OK(ApplyRecipientFlags(*flags, false, &r));
      ASSIGN_OR_RETURN(access::Recipient created, store->CreateRecipient(r));
      return Print(created.id + "\n");
    });
  }
  AddListCommand(g, action, ctx, "List recipients", [](access::AccessStore& store, bool json) {
    ASSIGN_OR_RETURN(auto recipients, AllRecipients(store));
    return PrintList(recipients, json, access::RecipientHeader(), access::RecipientRow);
  });
  AddStoreCommand(g, action, ctx, "show", "Show a recipient (JSON)", {kRecipientArg},
                  [](access::AccessStore& store, const auto& a) -> Status {
                    ASSIGN_OR_RETURN(access::Recipient r, store.GetRecipient(a[0]));
                    return Print(JsonLine(r));
                  });
  AddStoreCommand(
      g, action, ctx, "delete",
      "Delete a recipient with its grants, tokens, OAuth clients and links", {kRecipientArg},
      [](access::AccessStore& store, const auto& a) { return store.DeleteRecipient(a[0]); });
}

// --- grants --------------------------------------------------------------------------------

void AddGrantCommands(CLI::App* admin, Action* action, const ContextPtr& ctx) {
  CLI::App* g = Group(admin, "grants", "Which recipient sees which share");
  {
    auto* cmd = g->add_subcommand("add", "Grant a share to a recipient (or change its filter)");
    auto recipient = std::make_shared<std::string>();
    auto share = std::make_shared<std::string>();
    auto filter = std::make_shared<std::string>();
    cmd->add_option("RECIPIENT", *recipient, "Recipient name")->required();
    cmd->add_option("SHARE", *share, "Share name")->required();
    cmd->add_option("--partition-filter", *filter,
                    "Rows the recipient may see, as a SQL predicate on partition columns, e.g. "
                    "\"region = 'EU'\" (enforced by the server)");
    Run(cmd, action, [=]() -> Status {
      ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
      std::optional<std::string> f;
      if (!filter->empty()) f = *filter;
      return store->PutGrant(*recipient, *share, f).status();
    });
  }
  AddStoreCommand(g, action, ctx, "remove", "Revoke a recipient's access to a share",
                  {kRecipientArg, kShareArg}, [](access::AccessStore& store, const auto& a) {
                    return store.DeleteGrant(a[0], a[1]);
                  });
  {
    auto* cmd = g->add_subcommand("list", "List grants");
    auto filter = std::make_shared<access::GrantFilter>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("--recipient", filter->recipient, "Only this recipient's");
    cmd->add_option("--share", filter->share, "Only grants of this share");
    cmd->add_flag("--json", *json, "JSON Lines");
    Run(cmd, action, [=]() -> Status {
      ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
      ASSIGN_OR_RETURN(auto grants, store->ListGrants(*filter));
      return PrintList(grants, *json, access::GrantHeader(), access::GrantRow);
    });
  }
}

// --- tokens --------------------------------------------------------------------------------

// Prints a new token alone on stdout (or as JSON), its id and expiry on stderr.
Status PrintIssued(const access::IssuedToken& issued, bool json) {
  if (json) {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject();
    w.Field("token", issued.token);
    w.Field("id", issued.record.id);
    w.Field("expiresAt", access::FormatTimeMs(issued.record.expires_at_ms));
    w.EndObject();
    return Print(out + "\n");
  }
  std::fprintf(stderr, "token id %s, expires %s (shown once: store it now)\n",
               issued.record.id.c_str(),
               access::FormatTimeSeconds(issued.record.expires_at_ms).c_str());
  return Print(issued.token + "\n");
}

void AddTokenCommands(CLI::App* admin, Action* action, const ContextPtr& ctx) {
  CLI::App* g = Group(admin, "tokens", "Bearer tokens: issue, rotate, revoke, list");
  {
    auto* cmd = g->add_subcommand("issue", "Issue a token for a recipient (printed once)");
    auto recipient = std::make_shared<std::string>();
    auto lifetime = std::make_shared<std::string>();
    auto label = std::make_shared<std::string>();
    auto admin_token = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    cmd->add_option("RECIPIENT", *recipient, "Recipient name (omit with --admin)");
    cmd->add_option("--lifetime", *lifetime, "e.g. 1h, 30d (default: the recipient's)");
    cmd->add_option("--label", *label, "A note for admins, e.g. the machine it is for");
    cmd->add_flag("--admin", *admin_token, "An admin-API token instead (default 90 days)");
    cmd->add_flag("--json", *json, "Print {token, id, expiresAt}");
    Run(cmd, action, [=]() -> Status {
      if (*admin_token == !recipient->empty()) {
        return Status::InvalidArgument("give a RECIPIENT, or --admin for an admin token");
      }
      ASSIGN_OR_RETURN(auto life, ParseOptionalDuration(*lifetime));
      ASSIGN_OR_RETURN(auto tokens, ctx->Tokens());
      if (*admin_token) {
        ASSIGN_OR_RETURN(auto issued, tokens->IssueAdmin(life, *label));
        return PrintIssued(issued, *json);
      }
      ASSIGN_OR_RETURN(access::Recipient r, tokens->store()->GetRecipient(*recipient));
      ASSIGN_OR_RETURN(auto issued, tokens->Issue(r, life, *label));
      return PrintIssued(issued, *json);
    });
  }
  {
    auto* cmd = g->add_subcommand(
        "rotate", "Issue a successor token; the old one keeps working for the grace period");
    auto id = std::make_shared<std::string>();
    auto grace = std::make_shared<std::string>("1h");
    auto json = std::make_shared<bool>(false);
    cmd->add_option("TOKEN_ID", *id, "Id of the token to replace")->required();
    cmd->add_option("--grace", *grace, "How long the old token keeps working (0 = revoke now)")
        ->capture_default_str();
    cmd->add_flag("--json", *json, "Print {token, id, expiresAt}");
    Run(cmd, action, [=]() -> Status {
      ASSIGN_OR_RETURN(int64_t seconds, access::ParseDurationSeconds(*grace));
      ASSIGN_OR_RETURN(auto tokens, ctx->Tokens());
      ASSIGN_OR_RETURN(auto issued, tokens->Rotate(*id, seconds));
      return PrintIssued(issued, *json);
    });
  }
  {
    auto* cmd = g->add_subcommand("revoke", "Revoke a token now, or every token of a recipient");
    auto id = std::make_shared<std::string>();
    auto recipient = std::make_shared<std::string>();
    cmd->add_option("TOKEN_ID", *id, "Id of the token to revoke");
    cmd->add_option("--recipient", *recipient, "Revoke all of this recipient's tokens");
    Run(cmd, action, [=]() -> Status {
      if (id->empty() == recipient->empty()) {
        return Status::InvalidArgument("give a TOKEN_ID or --recipient NAME");
      }
      ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
      if (!id->empty()) return store->RevokeToken(*id, access::SystemNowMs());
      ASSIGN_OR_RETURN(access::Recipient r, store->GetRecipient(*recipient));
      ASSIGN_OR_RETURN(int64_t n,
                       store->RevokeTokens({r.id, std::nullopt, ""}, access::SystemNowMs()));
      std::fprintf(stderr, "revoked %lld token(s) of %s\n", static_cast<long long>(n),
                   r.name.c_str());
      return Status::OK();
    });
  }
  {
    auto* cmd = g->add_subcommand("list", "List tokens (ids and states, never the tokens)");
    auto recipient = std::make_shared<std::string>();
    auto admin_tokens = std::make_shared<bool>(false);
    auto all = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    cmd->add_option("RECIPIENT", *recipient, "Only this recipient's tokens");
    cmd->add_flag("--admin", *admin_tokens, "Only admin tokens");
    cmd->add_flag("--all", *all, "Include expired and revoked tokens");
    cmd->add_flag("--json", *json, "JSON Lines");
    Run(cmd, action, [=]() -> Status {
      ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
      access::TokenFilter filter;
      if (!recipient->empty()) {
        ASSIGN_OR_RETURN(access::Recipient r, store->GetRecipient(*recipient));
        filter.recipient_id = r.id;
      }
      if (*admin_tokens) filter.kind = access::TokenKind::kAdmin;
      ASSIGN_OR_RETURN(auto tokens, store->ListTokens(filter));
      ASSIGN_OR_RETURN(auto recipients, AllRecipients(*store));
      std::map<std::string, std::string> names;
      for (const auto& r : recipients) names[r.id] = r.name;
      const int64_t now = access::SystemNowMs();
      Stdout out;
      access::TextTable table(access::TokenHeader());
      for (const auto& t : tokens) {
        access::TokenState state = t.StateAt(now);
        if (!*all &&
            (state == access::TokenState::kExpired || state == access::TokenState::kRevoked)) {
          continue;
        }
        if (*json) {
          std::string line;
          JsonWriter w(&line);
          access::WriteJson(t, now, &w);
          out.Write(line + "\n");
        } else {
          table.Add(access::TokenRow(t, names[t.recipient_id], now));
        }
      }
      if (!*json) out.Write(table.ToString());
      return out.Flush();
    });
  }
  {
    auto* cmd = g->add_subcommand("purge", "Delete tokens that ended a while ago");
    auto retention = std::make_shared<std::string>("1d");
    cmd->add_option("--retention", *retention, "Keep ended tokens this long")
        ->capture_default_str();
    Run(cmd, action, [=]() -> Status {
      ASSIGN_OR_RETURN(int64_t seconds, access::ParseDurationSeconds(*retention));
      ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
      ASSIGN_OR_RETURN(int64_t n,
                       store->DeleteTokensEndedBefore(access::SystemNowMs() - seconds * 1000));
      std::fprintf(stderr, "deleted %lld token(s)\n", static_cast<long long>(n));
      return Status::OK();
    });
  }
}

// --- profiles, activation links, OAuth clients ---------------------------------------------

// Profile files (protocol.md §12): version 1 bearer, version 2 oauth_client_credentials.
std::string BearerProfile(const std::string& endpoint, const access::IssuedToken& issued) {
  sharing::protocol::Profile p;
  p.share_credentials_version = 1;
  p.endpoint = endpoint;
  p.bearer_token = issued.token;
  p.expiration_ms = issued.record.expires_at_ms;
  return sharing::protocol::ProfileToJson(p);
}

std::string OAuthProfile(const std::string& endpoint, const std::string& token_endpoint,
                         const access::IssuedClient& client) {
  sharing::protocol::Profile p;
  p.share_credentials_version = 2;
  p.type = sharing::protocol::ProfileType::kOAuthClientCredentials;
  p.endpoint = endpoint;
  p.token_endpoint = token_endpoint;
  p.client_id = client.client.client_id;
  p.client_secret = client.client_secret;
  return sharing::protocol::ProfileToJson(p);
}

// Writes `contents` to `path` (mode 600), or to stdout for "-".
Status WriteSecret(std::optional<access::SecretFile>& file, const std::string& contents) {
  return file ? file->Write(contents) : Print(contents);
}

void AddProfileCommands(CLI::App* admin, Action* action, const ContextPtr& ctx) {
  CLI::App* g = Group(admin, "profile", "Recipient profile files");
  auto* cmd = g->add_subcommand(
      "export",
      "Write a profile file for a recipient: a new bearer token (version 1), or with --oauth a "
      "new OAuth client (version 2, oauth_client_credentials)");
  auto recipient = std::make_shared<std::string>();
  auto endpoint = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  auto lifetime = std::make_shared<std::string>();
  auto oauth = std::make_shared<bool>(false);
  auto token_endpoint = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  cmd->add_option("RECIPIENT", *recipient, "Recipient name")->required();
  cmd->add_option("--endpoint", *endpoint,
                  "The sharing server as recipients reach it, with its prefix, e.g. "
                  "https://sharing.example.com/delta-sharing")
      ->required();
  cmd->add_option("-o,--output", *output, "Profile file to create (mode 600; - = stdout)")
      ->required();
  cmd->add_option("--lifetime", *lifetime,
                  "Token lifetime (default: the recipient's; with --oauth, the access tokens')");
  cmd->add_flag("--oauth", *oauth, "An OAuth client-credentials profile");
  cmd->add_option("--token-endpoint", *token_endpoint,
                  "OAuth token endpoint (default: ENDPOINT/oauth/token)");
  cmd->add_flag("--force", *force, "Replace an existing file");
  Run(cmd, action, [=]() -> Status {
    RETURN_NOT_OK(CheckEndpoint(*endpoint));
    const std::string base = TrimSlash(*endpoint);
    const std::string te =
        token_endpoint->empty() ? base + std::string(access::kOAuthTokenPath) : *token_endpoint;
    RETURN_NOT_OK(CheckEndpoint(te));
    ASSIGN_OR_RETURN(auto life, ParseOptionalDuration(*lifetime));
    ASSIGN_OR_RETURN(auto tokens, ctx->Tokens());
    ASSIGN_OR_RETURN(access::Recipient r, tokens->store()->GetRecipient(*recipient));
    std::optional<access::SecretFile> file;
    if (*output != "-") {
      ASSIGN_OR_RETURN(file, access::SecretFile::Create(*output, *force));
    }
    if (*oauth) {
      ASSIGN_OR_RETURN(
          auto client,
          tokens->CreateOAuthClient(r, life.value_or(access::kDefaultOAuthTokenLifetimeSeconds)));
      return WriteSecret(file, OAuthProfile(base, te, client));
    }
    ASSIGN_OR_RETURN(auto issued, tokens->Issue(r, life, "profile"));
    return WriteSecret(file, BearerProfile(base, issued));
  });
}

void AddActivationCommands(CLI::App* admin, Action* action, const ContextPtr& ctx) {
  CLI::App* g =
      Group(admin, "activation", "One-time links from which a recipient downloads its profile");
  auto* cmd = g->add_subcommand("create", "Create a link (its URL is printed once)");
  auto recipient = std::make_shared<std::string>();
  auto endpoint = std::make_shared<std::string>();
  auto valid = std::make_shared<std::string>("7d");
  cmd->add_option("RECIPIENT", *recipient, "Recipient name")->required();
  cmd->add_option("--endpoint", *endpoint,
                  "The sharing server as recipients reach it, with its prefix")
      ->required();
  cmd->add_option("--expires-in", *valid, "How long the link can be used")->capture_default_str();
  Run(cmd, action, [=]() -> Status {
    RETURN_NOT_OK(CheckEndpoint(*endpoint));
    ASSIGN_OR_RETURN(int64_t seconds, access::ParseDurationSeconds(*valid));
    ASSIGN_OR_RETURN(auto tokens, ctx->Tokens());
    ASSIGN_OR_RETURN(access::Recipient r, tokens->store()->GetRecipient(*recipient));
    const std::string base = TrimSlash(*endpoint);
    ASSIGN_OR_RETURN(auto link, tokens->CreateActivationLink(r, base, seconds));
    std::fprintf(stderr, "activation link %s for %s, usable once until %s\n", link.link.id.c_str(),
                 r.name.c_str(), access::FormatTimeSeconds(link.link.expires_at_ms).c_str());
    return Print(base + std::string(access::kActivationPathPrefix) + link.code + "\n");
  });
}

void AddOAuthCommands(CLI::App* admin, Action* action, const ContextPtr& ctx) {
  CLI::App* g = Group(admin, "oauth", "OAuth 2.0 client-credentials clients");
  {
    auto* cmd = g->add_subcommand("create", "Create a client (its secret is printed once)");
    auto recipient = std::make_shared<std::string>();
    auto lifetime = std::make_shared<std::string>("1h");
    auto json = std::make_shared<bool>(false);
    cmd->add_option("RECIPIENT", *recipient, "Recipient name")->required();
    cmd->add_option("--access-token-lifetime", *lifetime, "Lifetime of its access tokens")
        ->capture_default_str();
    cmd->add_flag("--json", *json, "Print {clientId, clientSecret}");
    Run(cmd, action, [=]() -> Status {
      ASSIGN_OR_RETURN(int64_t seconds, access::ParseDurationSeconds(*lifetime));
      ASSIGN_OR_RETURN(auto tokens, ctx->Tokens());
      ASSIGN_OR_RETURN(access::Recipient r, tokens->store()->GetRecipient(*recipient));
      ASSIGN_OR_RETURN(auto client, tokens->CreateOAuthClient(r, seconds));
      if (!*json) {
        return Print("client_id " + client.client.client_id + "\nclient_secret " +
                     client.client_secret + "\n");
      }
      std::string out;
      JsonWriter w(&out);
      w.BeginObject();
      w.Field("clientId", client.client.client_id);
      w.Field("clientSecret", client.client_secret);
      w.EndObject();
      return Print(out + "\n");
    });
  }
  {
    auto* cmd = g->add_subcommand("list", "List clients (never their secrets)");
    auto recipient = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("RECIPIENT", *recipient, "Only this recipient's clients");
    cmd->add_flag("--json", *json, "JSON Lines");
    Run(cmd, action, [=]() -> Status {
      ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
      std::string recipient_id;
      if (!recipient->empty()) {
        ASSIGN_OR_RETURN(access::Recipient r, store->GetRecipient(*recipient));
        recipient_id = r.id;
      }
      ASSIGN_OR_RETURN(auto clients, store->ListOAuthClients(recipient_id));
      return PrintList(clients, *json, access::OAuthClientHeader(), access::OAuthClientRow);
    });
  }
  AddStoreCommand(g, action, ctx, "delete", "Delete a client and revoke its access tokens",
                  {{"CLIENT_ID", "Client id"}}, [](access::AccessStore& store, const auto& a) {
                    return store.DeleteOAuthClient(a[0], access::SystemNowMs());
                  });
}

// --- keys, audit, init ---------------------------------------------------------------------

void AddKeyCommands(CLI::App* admin, Action* action, const ContextPtr& ctx) {
  CLI::App* g = Group(admin, "keys", "The master key and key versions");
  {
    auto* cmd = g->add_subcommand("generate", "Print a new random master key (64 hex digits)");
    auto output = std::make_shared<std::string>();
    cmd->add_option("-o,--output", *output, "Write it to this new file (mode 600) instead");
    Run(cmd, action, [=]() -> Status {
      std::optional<access::SecretFile> file;
      if (!output->empty()) {
        ASSIGN_OR_RETURN(file, access::SecretFile::Create(*output, /*replace=*/false));
      }
      ASSIGN_OR_RETURN(std::string key, access::MasterKey::GenerateText());
      return WriteSecret(file, key + "\n");
    });
  }
  AddListCommand(g, action, ctx, "List key versions", [](access::AccessStore& store, bool json) {
    ASSIGN_OR_RETURN(auto versions, store.ListKeyVersions());
    return PrintList(versions, json, access::KeyVersionHeader(), access::KeyVersionRow);
  });
  AddStoreCommand(g, action, ctx, "rotate",
                  "Add a key version: new material uses it, older material still verifies", {},
                  [](access::AccessStore& store, const auto&) -> Status {
                    ASSIGN_OR_RETURN(access::KeyVersion v,
                                     store.AddKeyVersion(access::SystemNowMs()));
                    return Print(std::to_string(v.version) + "\n");
                  });
  AddStoreCommand(g, action, ctx, "retire",
                  "Retire a key version: tokens, links and URLs made with it stop working",
                  {{"VERSION", "Key version"}},
                  [](access::AccessStore& store, const auto& a) -> Status {
                    std::optional<int64_t> v = ParseInt64(a[0]);
                    if (!v) return Status::InvalidArgument("VERSION must be a number");
                    return store.RetireKeyVersion(*v, access::SystemNowMs());
                  });
}

void AddAuditCommands(CLI::App* admin, Action* action, const ContextPtr& ctx) {
  CLI::App* g = Group(admin, "audit", "The record of every request served");
  auto* cmd = g->add_subcommand("list", "List audit records, newest first");
  auto query = std::make_shared<access::AuditQuery>();
  auto since = std::make_shared<std::string>();
  auto until = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--recipient", query->recipient, "Only this recipient's requests");
  cmd->add_option("--share", query->share, "Only requests for this share");
  cmd->add_option("--since", *since, "From this time (ISO 8601, or a duration ago: 2h)");
  cmd->add_option("--until", *until, "Before this time (ISO 8601, or a duration ago)");
  cmd->add_option("--status", query->status, "Only this HTTP status");
  cmd->add_option("--limit", query->limit, "At most N records (1..10000)")->capture_default_str();
  cmd->add_option("--before-seq", query->before_seq, "Page: records older than this seq");
  cmd->add_flag("--json", *json, "JSON Lines");
  Run(cmd, action, [=]() -> Status {
    const int64_t now = access::SystemNowMs();
    access::AuditQuery q = *query;
    ASSIGN_OR_RETURN(q.from_ms, ParseTimeBound(*since, now));
    ASSIGN_OR_RETURN(q.to_ms, ParseTimeBound(*until, now));
    ASSIGN_OR_RETURN(AccessStorePtr store, ctx->Store());
    ASSIGN_OR_RETURN(auto records, store->QueryAudit(q));
    return PrintList(records, *json, access::AuditHeader(), access::AuditRow);
  });
}

void RegisterAdminCommands(CLI::App* app, Action* action) {
  auto ctx = std::make_shared<Context>();
  CLI::App* admin =
      app->add_subcommand("admin", "Manage shares, recipients, grants, tokens and audit records");
  admin->require_subcommand(1);
  admin
      ->add_option("--store", ctx->store_url,
                   "Access store: sqlite:PATH, postgresql://USER@HOST/DB or memory:")
      ->envname("DELTASHARE_STORE");
  admin->add_option("--master-key-file", ctx->master_key_file,
                    "File holding the master key (else $DELTASHARE_MASTER_KEY)");
  AddStoreCommand(admin, action, ctx, "init", "Create the store or bring its schema up to date", {},
                  [](access::AccessStore& store, const auto&) {
                    return Print("ready: " + store.description() + "\n");
                  });
  AddShareCommands(admin, action, ctx);
  AddRecipientCommands(admin, action, ctx);
  AddGrantCommands(admin, action, ctx);
  AddTokenCommands(admin, action, ctx);
  AddProfileCommands(admin, action, ctx);
  AddActivationCommands(admin, action, ctx);
  AddOAuthCommands(admin, action, ctx);
  AddKeyCommands(admin, action, ctx);
  AddAuditCommands(admin, action, ctx);
}

}  // namespace

DS_COMMAND_GROUP(40, RegisterAdminCommands);

}  // namespace ds::cli
