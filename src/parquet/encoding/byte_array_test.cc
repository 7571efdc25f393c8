#include "parquet/encoding/byte_array.h"

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "parquet/encoding/delta_binary_packed.h"
#include "test/testing/testing.h"

namespace ds::parquet {
namespace {

// Arrow-style column of strings.
struct Strings {
  std::vector<int64_t> offsets{0};
  std::string data;
  explicit Strings(const std::vector<std::string>& v) {
    for (const auto& s : v) {
      data += s;
      offsets.push_back(int64_t(data.size()));
    }
  }
  int64_t count() const { return int64_t(offsets.size()) - 1; }
  const uint8_t* bytes() const { return reinterpret_cast<const uint8_t*>(data.data()); }
};

// Output buffers primed like a column reader's: data already holds `prefix`, offsets holds
// the leading offset.
struct Output {
  Buffer offsets;
  Buffer data;
  explicit Output(std::string_view prefix = "") {
    data.Append(prefix);
    offsets.AppendValue(int64_t(data.size()));
  }
  std::vector<std::string> Values() const {
    std::vector<std::string> v;
    const int64_t* o = offsets.data_as<int64_t>();
    size_t n = offsets.size() / 8;
    for (size_t i = 0; i + 1 < n; ++i) {
      v.emplace_back(data.string_view().substr(size_t(o[i]), size_t(o[i + 1] - o[i])));
    }
    return v;
  }
};

using DecodeFn = Result<size_t> (*)(ByteView, int64_t, Buffer*, Buffer*);
using EncodeFn = void (*)(const int64_t*, const uint8_t*, int64_t, Buffer*);

std::vector<uint8_t> Vec(const Buffer& b) { return {b.data(), b.data() + b.size()}; }

std::vector<std::string> RandomStrings(std::mt19937_64& rng, size_t n, int kind) {
  std::vector<std::string> v;
  std::string prev;
  for (size_t i = 0; i < n; ++i) {
    std::string s;
    if (kind == 0) {  // random, some empty
      s.resize(rng() % 4 == 0 ? 0 : rng() % 40);
      for (char& c : s) c = char(rng());
    } else {  // sorted-ish keys sharing prefixes
      s = prev.substr(0, std::min<size_t>(prev.size(), rng() % 12));
      size_t extra = rng() % 6;
      for (size_t k = 0; k < extra; ++k) s += char('a' + rng() % 26);
    }
    v.push_back(s);
    prev = s;
  }
  return v;
}

void CheckRoundTrip(EncodeFn encode, DecodeFn decode, const std::vector<std::string>& values) {
  Strings in(values);
  Buffer enc;
  enc.Append("##");  // encoders append
  encode(in.offsets.data(), in.bytes(), in.count(), &enc);
  std::vector<uint8_t> stream(enc.data() + 2, enc.data() + enc.size());
  stream.push_back(0x77);  // trailing bytes are not consumed
  Output out("pre");
  ASSERT_OK_AND_ASSIGN(size_t used,
                       decode({stream.data(), stream.size()}, in.count(), &out.offsets, &out.data));
  EXPECT_EQ(used, stream.size() - 1);
  auto got = out.Values();
  ASSERT_EQ(got.size(), values.size());
  EXPECT_EQ(got, values);
  EXPECT_EQ(out.data.string_view().substr(0, 3), "pre");
}

struct Codec {
  const char* name;
  EncodeFn encode;
  DecodeFn decode;
};
const Codec kCodecs[] = {
    {"PLAIN", EncodePlainByteArray, DecodePlainByteArray},
    {"DLBA", EncodeDeltaLengthByteArray, DecodeDeltaLengthByteArray},
    {"DBA", EncodeDeltaByteArray, DecodeDeltaByteArray},
};

TEST(ByteArrayTest, RoundTrips) {
  std::mt19937_64 rng(4);
  for (const Codec& c : kCodecs) {
    SCOPED_TRACE(c.name);
    for (size_t n : {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000}) {
      for (int kind = 0; kind < 2; ++kind) {
        CheckRoundTrip(c.encode, c.decode, RandomStrings(rng, n, kind));
      }
    }
    CheckRoundTrip(c.encode, c.decode, {"", "", ""});
    CheckRoundTrip(c.encode, c.decode, {std::string(100000, 'x'), "x", std::string(70000, 'x')});
    CheckRoundTrip(c.encode, c.decode,
                   {std::string(50, 'a'), std::string(60, 'a'), std::string(40, 'a') + "b",
                    std::string(40, 'a') + "bc", std::string(33, 'a'), std::string(32, 'a')});
  }
}

TEST(ByteArrayTest, ZeroValuesAcceptEmptyInput) {
  for (const Codec& c : kCodecs) {
    Output out;
    ASSERT_OK_AND_ASSIGN(size_t used, c.decode({}, 0, &out.offsets, &out.data));
    EXPECT_EQ(used, 0u) << c.name;
    EXPECT_EQ(out.offsets.size(), 8u);
  }
  uint8_t fixed[1];
  ASSERT_OK_AND_ASSIGN(size_t used, DecodeDeltaByteArrayFixed({}, 0, 4, fixed));
  EXPECT_EQ(used, 0u);
}

TEST(ByteArrayTest, PlainBytes) {
  const uint8_t src[] = {5, 0, 0, 0, 'H', 'e', 'l', 'l', 'o', 0, 0, 0, 0, 1, 0, 0, 0, 'x'};
  Output out;
  ASSERT_OK_AND_ASSIGN(size_t used, DecodePlainByteArray(src, 3, &out.offsets, &out.data));
  EXPECT_EQ(used, sizeof(src));
  EXPECT_EQ(out.Values(), (std::vector<std::string>{"Hello", "", "x"}));
  Buffer enc;
  Strings s({"Hello", "", "x"});
  EncodePlainByteArray(s.offsets.data(), s.bytes(), 3, &enc);
  EXPECT_EQ(Vec(enc), std::vector<uint8_t>(src, src + sizeof(src)));

  // Too few values, a length past the end, a truncated length, a negative count.
  Output bad;
  ASSERT_RAISES(kCorruption, DecodePlainByteArray(src, 4, &bad.offsets, &bad.data));
  ASSERT_RAISES(kCorruption, DecodePlainByteArray({src, 8}, 1, &bad.offsets, &bad.data));
  ASSERT_RAISES(kCorruption, DecodePlainByteArray({src, 15}, 3, &bad.offsets, &bad.data));
  ASSERT_RAISES(kCorruption, DecodePlainByteArray(src, -1, &bad.offsets, &bad.data));
  // The first value takes the bytes the second value's length needs.
  const uint8_t greedy[] = {8, 0, 0, 0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
  ASSERT_RAISES(kCorruption, DecodePlainByteArray(greedy, 2, &bad.offsets, &bad.data));
  const uint8_t huge[] = {0xFF, 0xFF, 0xFF, 0xFF, 'a'};
  ASSERT_RAISES(kCorruption, DecodePlainByteArray(huge, 1, &bad.offsets, &bad.data));
  EXPECT_EQ(bad.offsets.size(), 8u);
  EXPECT_EQ(bad.data.size(), 0u);
}

std::vector<uint8_t> Dbp(const std::vector<int32_t>& v) {
  DeltaBinaryPackedEncoder<int32_t> enc;
  enc.Put(v.data(), int64_t(v.size()));
  Buffer out;
  enc.FinishTo(&out);
  return Vec(out);
}

std::vector<uint8_t> Concat(std::vector<uint8_t> a, const std::vector<uint8_t>& b,
                            std::string_view tail = "") {
  a.insert(a.end(), b.begin(), b.end());
  a.insert(a.end(), tail.begin(), tail.end());
  return a;
}

TEST(ByteArrayTest, DeltaLengthSpecExample) {
  Strings s({"Hello", "World", "Foobar", "ABCDEF"});
  auto expected = Concat(Dbp({5, 5, 6, 6}), {}, "HelloWorldFoobarABCDEF");
  Buffer enc;
  EncodeDeltaLengthByteArray(s.offsets.data(), s.bytes(), 4, &enc);
  EXPECT_EQ(Vec(enc), expected);
  Output out;
  ASSERT_OK_AND_ASSIGN(size_t used, DecodeDeltaLengthByteArray({expected.data(), expected.size()},
                                                               4, &out.offsets, &out.data));
  EXPECT_EQ(used, expected.size());
  EXPECT_EQ(out.Values(), (std::vector<std::string>{"Hello", "World", "Foobar", "ABCDEF"}));
  // Decoding fewer values than the stream holds consumes only their bytes.
  Output two;
  ASSERT_OK_AND_ASSIGN(used, DecodeDeltaLengthByteArray({expected.data(), expected.size()}, 2,
                                                        &two.offsets, &two.data));
  EXPECT_EQ(used, expected.size() - 12);
}

TEST(ByteArrayTest, DeltaLengthMalformed) {
  auto check = [](const std::vector<uint8_t>& b, int64_t count) {
    Output out("keep");
    Status st =
        DecodeDeltaLengthByteArray({b.data(), b.size()}, count, &out.offsets, &out.data).status();
    EXPECT_TRUE(st.IsCorruption()) << st;
    EXPECT_EQ(out.offsets.size(), 8u);
    EXPECT_EQ(out.data.string_view(), "keep");
  };
  check(Concat(Dbp({5, 5}), {}, "HelloWorl"), 2);    // bytes run past the end
  check(Concat(Dbp({5, -1}), {}, "HelloWorld"), 2);  // negative length
  check(Concat(Dbp({5}), {}, "Hello"), 2);           // fewer lengths than values
  check({0x80, 0x01}, 1);                            // truncated length stream
  check(Concat(Dbp({5}), {}, "Hello"), -1);          // negative count
}

TEST(ByteArrayTest, DeltaByteArrayPrefixes) {
  Strings s({"axis", "axle", "babble", "babyhood"});
  // prefixes 0,2,0,3; suffixes 4,2,6,5.
  auto expected = Concat(Concat(Dbp({0, 2, 0, 3}), Dbp({4, 2, 6, 5})), {}, "axislebabbleyhood");
  Buffer enc;
  EncodeDeltaByteArray(s.offsets.data(), s.bytes(), 4, &enc);
  EXPECT_EQ(Vec(enc), expected);
  Output out;
  ASSERT_OK_AND_ASSIGN(size_t used, DecodeDeltaByteArray({expected.data(), expected.size()}, 4,
                                                         &out.offsets, &out.data));
  EXPECT_EQ(used, expected.size());
  EXPECT_EQ(out.Values(), (std::vector<std::string>{"axis", "axle", "babble", "babyhood"}));

  auto check = [](const std::vector<uint8_t>& b, int64_t count) {
    Output out("keep");
    Status st = DecodeDeltaByteArray({b.data(), b.size()}, count, &out.offsets, &out.data).status();
    EXPECT_TRUE(st.IsCorruption()) << st;
    EXPECT_EQ(out.offsets.size(), 8u);
    EXPECT_EQ(out.data.string_view(), "keep");
  };
  check(Concat(Concat(Dbp({1}), Dbp({2})), {}, "ab"), 1);          // prefix before any value
  check(Concat(Concat(Dbp({0, 3}), Dbp({2, 1})), {}, "abc"), 2);   // prefix 3 > length 2
  check(Concat(Concat(Dbp({0, -1}), Dbp({2, 1})), {}, "abc"), 2);  // negative prefix
  check(Concat(Concat(Dbp({0, 1}), Dbp({2, -1})), {}, "abc"), 2);  // negative suffix
  check(Concat(Concat(Dbp({0, 1}), Dbp({2, 2})), {}, "abc"), 2);   // suffix past the end
  check(Concat(Dbp({0, 1}), Dbp({2})), 2);                         // too few suffixes
  check(Concat(Concat(Dbp({0}), Dbp({2, 2})), {}, "abcd"), 2);     // too few prefixes
}

TEST(ByteArrayTest, DeltaByteArrayFixed) {
  std::mt19937_64 rng(8);
  for (int width : {1, 4, 16}) {
    for (int64_t n : {0, 1, 9, 1000}) {
      std::vector<uint8_t> values(size_t(n * width));
      for (auto& b : values) b = uint8_t(rng() % 3);  // lots of shared prefixes
      Buffer enc;
      EncodeDeltaByteArrayFixed(values.data(), n, width, &enc);
      std::vector<uint8_t> out(values.size() + 1, 0xEE);
      ASSERT_OK_AND_ASSIGN(size_t used,
                           DecodeDeltaByteArrayFixed(enc.view(), n, width, out.data()));
      EXPECT_EQ(used, enc.size());
      EXPECT_EQ(out.back(), 0xEE);
      out.pop_back();
      EXPECT_EQ(out, values);
    }
  }
  // A value whose length differs from the width.
  auto wrong = Concat(Concat(Dbp({0, 1}), Dbp({2, 2})), {}, "abcd");
  uint8_t out[6];
  ASSERT_OK(DecodeDeltaByteArrayFixed({wrong.data(), wrong.size()}, 1, 2, out));
  ASSERT_RAISES(kCorruption, DecodeDeltaByteArrayFixed({wrong.data(), wrong.size()}, 2, 2, out));
  ASSERT_RAISES(kCorruption, DecodeDeltaByteArrayFixed({wrong.data(), wrong.size()}, 2, 3, out));
  ASSERT_RAISES(kInvalidArgument,
                DecodeDeltaByteArrayFixed({wrong.data(), wrong.size()}, 2, 0, out));
}

TEST(ByteArrayTest, EveryTruncationFails) {
  std::mt19937_64 rng(12);
  auto values = RandomStrings(rng, 200, 1);
  Strings s(values);
  for (const Codec& c : kCodecs) {
    SCOPED_TRACE(c.name);
    Buffer enc;
    c.encode(s.offsets.data(), s.bytes(), s.count(), &enc);
    for (size_t len = 0; len < enc.size(); ++len) {
      auto exact = std::make_unique<uint8_t[]>(len + 1);
      std::copy(enc.data(), enc.data() + len, exact.get());
      Output out;
      Status st = c.decode({exact.get(), len}, s.count(), &out.offsets, &out.data).status();
      ASSERT_TRUE(st.IsCorruption()) << "len " << len << ": " << st;
      ASSERT_EQ(out.offsets.size(), 8u);
      ASSERT_EQ(out.data.size(), 0u);
    }
  }
}

}  // namespace
}  // namespace ds::parquet
