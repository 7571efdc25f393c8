#include "sharing/protocol/capabilities.h"

#include "sharing/protocol/errors.h"
#include "sharing/protocol/file_id.h"
#include "test/testing/testing.h"

namespace ds::sharing::protocol {
namespace {

TEST(CapabilitiesTest, ParsesCaseInsensitivelyAndIgnoresJunk) {
  Capabilities c = ParseCapabilities(
      " ResponseFormat = Delta,Parquet ; ReaderFeatures=DeletionVectors,columnMapping;"
      "includeEndStreamAction=TRUE;asyncquery=true;junk;a=b=c;unknown=1");
  ASSERT_EQ(c.formats.size(), 2u);
  EXPECT_EQ(c.formats[0], ResponseFormat::kDelta);
  EXPECT_EQ(c.formats[1], ResponseFormat::kParquet);
  EXPECT_EQ(c.reader_features, (std::set<std::string>{"deletionvectors", "columnmapping"}));
  EXPECT_TRUE(c.include_end_stream_action);
  EXPECT_TRUE(c.async_query);
  Capabilities empty = ParseCapabilities("");
  EXPECT_TRUE(empty.formats.empty());
  EXPECT_FALSE(empty.include_end_stream_action);
  EXPECT_FALSE(ParseCapabilities("includeendstreamaction=yes").include_end_stream_action);
}

TEST(CapabilitiesTest, ChooseFormat) {
  TableTraits plain;
  TableTraits dv;
  dv.min_reader_version = 3;
  dv.reader_features = {"deletionvectors"};
  dv.deletion_vectors = true;
  TableTraits cm;
  cm.min_reader_version = 2;
  cm.column_mapping = true;

  // No header: parquet, refused for tables that need delta.
  EXPECT_EQ(ChooseFormat(ParseCapabilities(""), plain).ValueOr(ResponseFormat::kDelta),
            ResponseFormat::kParquet);
  ASSERT_RAISES(kNotSupported, ChooseFormat(ParseCapabilities(""), dv));
  // Both: parquet when possible, delta otherwise (with the features listed).
  auto both = ParseCapabilities(
      "responseformat=delta,parquet;readerfeatures=deletionvectors,columnmapping");
  EXPECT_EQ(ChooseFormat(both, plain).ValueOr(ResponseFormat::kDelta), ResponseFormat::kParquet);
  EXPECT_EQ(ChooseFormat(both, dv).ValueOr(ResponseFormat::kParquet), ResponseFormat::kDelta);
  EXPECT_EQ(ChooseFormat(both, cm).ValueOr(ResponseFormat::kParquet), ResponseFormat::kDelta);
  // Delta only: honoured even for plain tables; features must be declared.
  EXPECT_EQ(ChooseFormat(ParseCapabilities("responseformat=delta"), plain)
                .ValueOr(ResponseFormat::kParquet),
            ResponseFormat::kDelta);
  auto delta_no_features = ParseCapabilities("responseformat=delta");
  Status st = ChooseFormat(delta_no_features, dv).status();
  ASSERT_EQ(st.code(), StatusCode::kNotSupported);
  EXPECT_NE(st.message().find("deletionvectors"), std::string::npos);
  EXPECT_EQ(ToApiError(st).error_code, "UNSUPPORTED_OPERATION");
  // Parquet only on a DV table: refused, never downgraded.
  ASSERT_RAISES(kNotSupported, ChooseFormat(ParseCapabilities("responseformat=parquet"), dv));
  // Unknown formats only.
  ASSERT_RAISES(kNotSupported, ChooseFormat(ParseCapabilities("responseformat=iceberg"), plain));
}

TEST(CapabilitiesTest, ResponseHeader) {
  EXPECT_EQ(FormatCapabilitiesHeader(ResponseFormat::kParquet, false), "responseformat=parquet");
  EXPECT_EQ(FormatCapabilitiesHeader(ResponseFormat::kDelta, true, true),
            "responseformat=delta;includeendstreamaction=true;asyncquery=true");
}

TEST(CapabilitiesTest, FileIdHash) {
  EXPECT_EQ(ParseFileIdHash(" Parquet ").ValueOr(FileIdScheme::kDelta), FileIdScheme::kParquet);
  EXPECT_EQ(ParseFileIdHash("DELTA").ValueOr(FileIdScheme::kParquet), FileIdScheme::kDelta);
  ASSERT_RAISES(kInvalidArgument, ParseFileIdHash(""));
  ASSERT_RAISES(kInvalidArgument, ParseFileIdHash("md5"));
  // Independent values: `printf %s 'part-0.parquet' | md5sum` and `sha256sum`.
  EXPECT_EQ(FileId(FileIdScheme::kParquet, "part-0.parquet"), "a77b0c1313476145363d0e19164d7129");
  EXPECT_EQ(FileId(FileIdScheme::kDelta, "part-0.parquet"),
            "7f7df20909e2cb6a3d900f841cf041ce126aebbc84e7160f438ac5ed96ad2808");
}

}  // namespace
}  // namespace ds::sharing::protocol
