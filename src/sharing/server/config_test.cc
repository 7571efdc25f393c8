#include "sharing/server/config.h"

#include "test/testing/testing.h"

namespace ds::sharing::server {
namespace {

constexpr char kConfig[] = R"(
version: 1
host: 0.0.0.0
port: 9090
endpoint: /delta-sharing/
preSignedUrlTimeoutSeconds: 600
authorization:
  bearerToken: dapi0123456789abcdef
store: sqlite:access.db
masterKeyFile: keys/master.key
shares:
- name: crm
  schemas:
  - name: tenant_a
    tables:
    - name: accounts
      location: tables/accounts
      historyShared: true
      startVersion: 2
    - name: cases
      location: s3://bucket/cases
      id: 9b1f
    - name: contacts
      location: file:///data/contacts
      encrypted: yes
storage:
  s3:
    region: eu-west-1
    endpoint: http://127.0.0.1:9000
limits:
  maxBodyBytes: 65536
)";

TEST(ConfigTest, ParsesEverything) {
  ASSERT_OK_AND_ASSIGN(Config c, ParseConfig(kConfig, "/etc/ds"));
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.port, 9090);
  EXPECT_EQ(c.endpoint, "/delta-sharing");
  EXPECT_EQ(c.presigned_url_timeout_seconds, 600);
  EXPECT_EQ(*c.bearer_token, "dapi0123456789abcdef");
  EXPECT_EQ(c.store, "sqlite:/etc/ds/access.db");
  EXPECT_EQ(c.master_key_file, "/etc/ds/keys/master.key");
  ASSERT_EQ(c.shares.size(), 1u);
  const auto& tables = c.shares[0].schemas[0].tables;
  ASSERT_EQ(tables.size(), 3u);
  EXPECT_EQ(tables[0].location, "/etc/ds/tables/accounts");
  EXPECT_TRUE(tables[0].history_shared);
  EXPECT_EQ(tables[0].start_version, 2);
  EXPECT_EQ(tables[1].location, "s3://bucket/cases");
  EXPECT_EQ(tables[1].id, "9b1f");
  EXPECT_FALSE(tables[1].history_shared);
  EXPECT_FALSE(tables[0].encrypted);
  EXPECT_FALSE(tables[1].encrypted);
  EXPECT_TRUE(tables[2].encrypted);
  EXPECT_EQ(c.storage["s3"]["region"], "eu-west-1");
  EXPECT_EQ(c.limits.max_body_bytes, 65536);
  EXPECT_EQ(c.limits.max_header_bytes, 16384);
}

void ExpectError(const std::string& yaml, const std::string& needle) {
  Status st = ParseConfig(yaml).status();
  ASSERT_EQ(st.code(), StatusCode::kInvalidArgument) << yaml;
  EXPECT_NE(st.message().find(needle), std::string::npos) << st.message();
}

TEST(ConfigTest, ErrorsNameTheKey) {
  const std::string auth = "authorization: {bearerToken: 0123456789abcdefgh}\n";
  ExpectError("", "empty");
  ExpectError("version: 2\n" + auth, "version");
  ExpectError("port: 8080\n" + auth, "version: required");
  ExpectError("version: 1\nport: 99999\n" + auth, "port: must be between");
  ExpectError("version: 1\nprot: 1\n" + auth, "prot: unknown key");
  ExpectError("version: 1\n", "authorization");
  ExpectError("version: 1\nauthorization: {bearerToken: short}\n", "at least 16");
  ExpectError("version: 1\n" + auth + "shares:\n- name: s\n  schemas:\n  - name: a.b\n",
              "shares[0].schemas[0].name");
  ExpectError("version: 1\n" + auth +
                  "shares:\n- name: s\n  schemas:\n  - name: sc\n    tables:\n    - name: t\n",
              "shares[0].schemas[0].tables[0].location: required");
  ExpectError("version: 1\n" + auth + "shares:\n- name: s\n- name: S\n", "duplicate share");
  ExpectError("version: 1\n" + auth + "shares: [\n", "invalid YAML at line");
  ExpectError("version: 1\n" + auth + "limits: {maxBodyBytes: lots}\n", "limits.maxBodyBytes");
  ExpectError("version: 1\n" + auth + "storage: {ftp: {}}\n", "storage.ftp: unknown key");
  ExpectError("version: 1\n" + auth + "publicUrl: sharing.example.com\n", "publicUrl");
  const std::string table = "version: 1\n" + auth +
                            "shares:\n- name: s\n  schemas:\n  - name: sc\n    tables:\n"
                            "    - name: t\n";
  ExpectError(table + "      location: /data/t\n      encrypted: maybe\n",
              "shares[0].schemas[0].tables[0].encrypted: must be true or false");
  ExpectError(table + "      location: /data/t\n      encrypted: [true]\n",
              "tables[0].encrypted: must be true or false");
  ExpectError(table + "      location: s3://bucket/t\n      encrypted: true\n",
              "tables[0].encrypted: an encrypted table must be local");
  ExpectError(table + "      location: gs://bucket/t\n      encrypted: true\n",
              "pre-signed cloud URLs would hand out ciphertext");
  ASSERT_OK_AND_ASSIGN(Config plain, ParseConfig(table + "      location: s3://b/t\n"
                                                         "      encrypted: false\n"));
  EXPECT_FALSE(plain.shares[0].schemas[0].tables[0].encrypted);
}

}  // namespace
}  // namespace ds::sharing::server
