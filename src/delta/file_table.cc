#include "delta/file_table.h"

#include <algorithm>
#include <array>
#include <functional>
#include <unordered_map>

#include "delta/key_index.h"
#include "delta/path_util.h"

namespace ds::delta {
namespace {

constexpr uint32_t kNone = UINT32_MAX;
constexpr uint64_t kMaxArena = (uint64_t{1} << 32) - 2;

enum Flag : uint16_t {
  kDataChange = 1 << 0,
  kHasSize = 1 << 1,
  kHasMtime = 1 << 2,
  kHasDeletionTs = 1 << 3,
  kHasBaseRowId = 1 << 4,
  kHasDefaultRcv = 1 << 5,
  kHasExtended = 1 << 6,
  kExtendedValue = 1 << 7,
  kHasPartitionValues = 1 << 8,
};

struct Str {
  uint32_t off = 0;
  uint32_t len = kNone;  // kNone: absent
  bool present() const { return len != kNone; }
};

uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Reconciliation compares paths as written, except that the spellings of one absolute local
// path ("/x", "file:/x", "file:///x") are the same file (Spark canonicalizes them).
bool IsLocalAbsolute(std::string_view path) {
  return !path.empty() && (path[0] == '/' || path.substr(0, 5) == "file:");
}

bool SamePath(std::string_view a, std::string_view b) {
  if (a == b) return true;
  if (!IsLocalAbsolute(a) || !IsLocalAbsolute(b)) return false;
  return NormalizeFileUri(a) == NormalizeFileUri(b);
}

uint64_t KeyHash(std::string_view path, char dv_type, std::string_view dv_path,
                 std::optional<int32_t> dv_offset) {
  uint64_t h = IsLocalAbsolute(path) ? std::hash<std::string>{}(NormalizeFileUri(path))
                                     : std::hash<std::string_view>{}(path);
  if (dv_type != 0) {
    uint64_t d = std::hash<std::string_view>{}(dv_path);
    d ^= static_cast<uint64_t>(static_cast<uint8_t>(dv_type)) << 56;
    if (dv_offset) d ^= Mix(static_cast<uint64_t>(*dv_offset) + 1);
    h ^= Mix(d);
  }
  return Mix(h);
}

}  // namespace

struct FileSegment {
  struct Pair {
    uint32_t key = 0;  // index into keys
    Str value;         // absent = JSON null
  };
  struct Dv {
    Str path;
    int64_t cardinality = 0;
    int64_t max_row_index = 0;
    int32_t offset = 0;
    int32_t size = 0;
    char type = 'u';
    bool has_offset = false;
    bool has_max_row_index = false;
  };
  struct Record {
    Str path, stats, clustering;
    uint32_t pv_begin = 0, pv_count = 0;
    uint32_t tags_begin = 0, tags_count = kNone;
    uint32_t dv = kNone;
    uint16_t flags = 0;
    FileActionKind kind = FileActionKind::kAdd;
    int64_t size = 0, mtime = 0, deletion_ts = 0, base_row_id = 0, default_rcv = 0;
    uint64_t hash = 0;
  };

  std::string arena;
  std::vector<Record> records;
  std::vector<Pair> pairs;
  std::vector<Dv> dvs;
  std::vector<Str> keys;

  std::string_view str(Str s) const {
    return s.present() ? std::string_view(arena.data() + s.off, s.len) : std::string_view();
  }
  const Record& rec(uint32_t i) const { return records[i]; }
  size_t MemoryUsage() const {
    return arena.capacity() + records.capacity() * sizeof(Record) +
           pairs.capacity() * sizeof(Pair) + dvs.capacity() * sizeof(Dv) +
           keys.capacity() * sizeof(Str);
  }
};

// ---------------------------------------------------------------------------------------
// FileView

FileActionKind FileView::kind() const { return segment_->rec(record_).kind; }
std::string_view FileView::path() const { return segment_->str(segment_->rec(record_).path); }
bool FileView::has_partition_values() const {
  return segment_->rec(record_).flags & kHasPartitionValues;
}
size_t FileView::num_partition_values() const { return segment_->rec(record_).pv_count; }
StringPairView FileView::partition_value(size_t i) const {
  const FileSegment::Pair& p = segment_->pairs[segment_->rec(record_).pv_begin + i];
  return {segment_->str(segment_->keys[p.key]), segment_->str(p.value), !p.value.present()};
}
std::optional<std::optional<std::string_view>> FileView::FindPartitionValue(
    std::string_view key) const {
  for (size_t i = 0, n = num_partition_values(); i < n; ++i) {
    StringPairView p = partition_value(i);
    if (p.key == key) {
      return p.value_is_null ? std::optional<std::string_view>() : std::optional(p.value);
    }
  }
  return std::nullopt;
}
std::optional<int64_t> FileView::size() const {
  const auto& r = segment_->rec(record_);
  return r.flags & kHasSize ? std::optional(r.size) : std::nullopt;
}
std::optional<int64_t> FileView::modification_time() const {
  const auto& r = segment_->rec(record_);
  return r.flags & kHasMtime ? std::optional(r.mtime) : std::nullopt;
}
bool FileView::data_change() const { return segment_->rec(record_).flags & kDataChange; }
std::optional<std::string_view> FileView::stats() const {
  const auto& r = segment_->rec(record_);
  return r.stats.present() ? std::optional(segment_->str(r.stats)) : std::nullopt;
}
bool FileView::has_tags() const { return segment_->rec(record_).tags_count != kNone; }
size_t FileView::num_tags() const {
  uint32_t n = segment_->rec(record_).tags_count;
  return n == kNone ? 0 : n;
}
StringPairView FileView::tag(size_t i) const {
  const FileSegment::Pair& p = segment_->pairs[segment_->rec(record_).tags_begin + i];
  return {segment_->str(segment_->keys[p.key]), segment_->str(p.value), !p.value.present()};
}
std::optional<DeletionVectorView> FileView::deletion_vector() const {
  const auto& r = segment_->rec(record_);
  if (r.dv == kNone) return std::nullopt;
  const FileSegment::Dv& d = segment_->dvs[r.dv];
  DeletionVectorView v;
  v.storage_type = d.type;
  v.path_or_inline_dv = segment_->str(d.path);
  if (d.has_offset) v.offset = d.offset;
  v.size_in_bytes = d.size;
  v.cardinality = d.cardinality;
  if (d.has_max_row_index) v.max_row_index = d.max_row_index;
  return v;
}
std::optional<int64_t> FileView::base_row_id() const {
  const auto& r = segment_->rec(record_);
  return r.flags & kHasBaseRowId ? std::optional(r.base_row_id) : std::nullopt;
}
std::optional<int64_t> FileView::default_row_commit_version() const {
  const auto& r = segment_->rec(record_);
  return r.flags & kHasDefaultRcv ? std::optional(r.default_rcv) : std::nullopt;
}
std::optional<std::string_view> FileView::clustering_provider() const {
  const auto& r = segment_->rec(record_);
  return r.clustering.present() ? std::optional(segment_->str(r.clustering)) : std::nullopt;
}
std::optional<int64_t> FileView::deletion_timestamp() const {
  const auto& r = segment_->rec(record_);
  return r.flags & kHasDeletionTs ? std::optional(r.deletion_ts) : std::nullopt;
}
std::optional<bool> FileView::extended_file_metadata() const {
  const auto& r = segment_->rec(record_);
  return r.flags & kHasExtended ? std::optional<bool>((r.flags & kExtendedValue) != 0)
                                : std::nullopt;
}

FileActionView FileView::View(std::vector<StringPairView>* pv_scratch,
                              std::vector<StringPairView>* tag_scratch) const {
  FileActionView v;
  v.kind = kind();
  v.path = path();
  v.has_partition_values = has_partition_values();
  pv_scratch->clear();
  for (size_t i = 0, n = num_partition_values(); i < n; ++i) {
    pv_scratch->push_back(partition_value(i));
  }
  v.partition_values = *pv_scratch;
  v.size = size();
  v.modification_time = modification_time();
  v.data_change = data_change();
  v.stats = stats();
  v.has_tags = has_tags();
  tag_scratch->clear();
  for (size_t i = 0, n = num_tags(); i < n; ++i) tag_scratch->push_back(tag(i));
  v.tags = *tag_scratch;
  v.deletion_vector = deletion_vector();
  v.base_row_id = base_row_id();
  v.default_row_commit_version = default_row_commit_version();
  v.clustering_provider = clustering_provider();
  v.deletion_timestamp = deletion_timestamp();
  v.extended_file_metadata = extended_file_metadata();
  return v;
}

FileAction FileView::ToOwned() const {
  std::vector<StringPairView> pv, tags;
  return View(&pv, &tags).ToOwned();
}

void FileView::AppendJson(const FileActionJsonOptions& options, std::string* out) const {
  std::vector<StringPairView> pv, tags;
  AppendFileActionJson(View(&pv, &tags), options, out);
}

// ---------------------------------------------------------------------------------------
// FileTable

FileTable::FileTable()
    : index_(std::make_shared<KeyIndex>()),
      active_(std::make_shared<std::vector<FileRef>>()),
      tombstones_(std::make_shared<std::vector<FileRef>>()) {}
FileTable::~FileTable() = default;
FileTable::FileTable(const FileTable&) = default;
FileTable& FileTable::operator=(const FileTable&) = default;
FileTable::FileTable(FileTable&&) noexcept = default;
FileTable& FileTable::operator=(FileTable&&) noexcept = default;

size_t FileTable::num_records() const {
  size_t n = 0;
  for (const auto& s : segments_) n += s->records.size();
  return n;
}

size_t FileTable::MemoryUsage() const {
  size_t bytes =
      index_->MemoryUsage() + (active_->capacity() + tombstones_->capacity()) * sizeof(FileRef);
  for (const auto& s : segments_) bytes += s->MemoryUsage();
  for (const auto& b : superseded_) {
    if (b) bytes += b->capacity() * sizeof(uint64_t);
  }
  return bytes;
}

namespace {

// Global record ids: the records of all segments numbered in order.
struct IdSpace {
  std::vector<uint32_t> base;  // first id of each segment
  FileRef Resolve(uint32_t id) const {
    auto it = std::upper_bound(base.begin(), base.end(), id);
    uint32_t seg = static_cast<uint32_t>(it - base.begin() - 1);
    return {seg, id - base[seg]};
  }
};

bool SameKey(const FileSegment& a, uint32_t ra, const FileSegment& b, uint32_t rb) {
  const auto& x = a.rec(ra);
  const auto& y = b.rec(rb);
  if (x.hash != y.hash || !SamePath(a.str(x.path), b.str(y.path))) return false;
  if ((x.dv == kNone) != (y.dv == kNone)) return false;
  if (x.dv == kNone) return true;
  const FileSegment::Dv& dx = a.dvs[x.dv];
  const FileSegment::Dv& dy = b.dvs[y.dv];
  return dx.type == dy.type && dx.has_offset == dy.has_offset &&
         (!dx.has_offset || dx.offset == dy.offset) && a.str(dx.path) == b.str(dy.path);
}

}  // namespace

std::optional<FileView> FileTable::Find(std::string_view path,
                                        const std::optional<DeletionVectorDescriptor>& dv) const {
  IdSpace ids;
  uint32_t next = 0;
  for (const auto& s : segments_) {
    ids.base.push_back(next);
    next += static_cast<uint32_t>(s->records.size());
  }
  uint64_t hash = dv ? KeyHash(path, dv->storage_type, dv->path_or_inline_dv, dv->offset)
                     : KeyHash(path, 0, {}, std::nullopt);
  auto [pos, id] = index_->Find(hash, [&](uint32_t candidate) {
    FileRef ref = ids.Resolve(candidate);
    const FileSegment& s = *segments_[ref.segment];
    const auto& r = s.rec(ref.record);
    if (r.hash != hash || !SamePath(s.str(r.path), path)) return false;
    if (!dv) return r.dv == kNone;
    if (r.dv == kNone) return false;
    const FileSegment::Dv& d = s.dvs[r.dv];
    return d.type == dv->storage_type && s.str(d.path) == dv->path_or_inline_dv &&
           d.has_offset == dv->offset.has_value() && (!d.has_offset || d.offset == *dv->offset);
  });
  if (id == kNone) return std::nullopt;
  return View(ids.Resolve(id));
}

// ---------------------------------------------------------------------------------------
// FileTableBuilder

struct FileTableBuilder::State {
  FileTable table;  // the base (segments are shared)
  size_t first_new_segment = 0;
  std::vector<std::shared_ptr<FileSegment>> fresh;  // segments being built, in order
  bool segment_open = false;
  // Interned keys of the open segment (transparent: lookups by string_view allocate nothing).
  struct KeyHashFn {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, uint32_t, KeyHashFn, std::equal_to<>> key_ids;

  FileSegment& Open() {
    if (!segment_open || fresh.back()->arena.size() > kMaxArena / 2) {
      fresh.push_back(std::make_shared<FileSegment>());
      key_ids.clear();
      segment_open = true;
    }
    return *fresh.back();
  }

  static Result<Str> Put(FileSegment& s, std::string_view v) {
    if (s.arena.size() + v.size() > kMaxArena) {
      return Status::ResourceExhausted("file action strings exceed 4 GiB in one segment");
    }
    Str out{static_cast<uint32_t>(s.arena.size()), static_cast<uint32_t>(v.size())};
    s.arena.append(v);
    return out;
  }

  Result<uint32_t> Key(FileSegment& s, std::string_view key) {
    auto it = key_ids.find(key);
    if (it != key_ids.end()) return it->second;
    ASSIGN_OR_RETURN(Str str, Put(s, key));
    uint32_t id = static_cast<uint32_t>(s.keys.size());
    s.keys.push_back(str);
    key_ids.emplace(std::string(key), id);
    return id;
  }

  Status Pairs(FileSegment& s, std::span<const StringPairView> pairs, uint32_t* begin,
               uint32_t* count) {
    *begin = static_cast<uint32_t>(s.pairs.size());
    *count = static_cast<uint32_t>(pairs.size());
    for (const StringPairView& p : pairs) {
      FileSegment::Pair out;
      ASSIGN_OR_RETURN(out.key, Key(s, p.key));
      if (!p.value_is_null) {
        ASSIGN_OR_RETURN(out.value, Put(s, p.value));
      }
      s.pairs.push_back(out);
    }
    return Status::OK();
  }
};

FileTableBuilder::FileTableBuilder() : state_(std::make_unique<State>()) {}

FileTableBuilder::FileTableBuilder(const FileTable& base) : state_(std::make_unique<State>()) {
  state_->table = base;
  state_->first_new_segment = base.segments_.size();
}

FileTableBuilder::~FileTableBuilder() = default;

void FileTableBuilder::EndSegment() { state_->segment_open = false; }

Status FileTableBuilder::Apply(const FileActionView& a) {
  if (a.kind == FileActionKind::kCdc) {
    return Status::InvalidArgument("cdc actions are not part of a snapshot");
  }
  FileSegment& s = state_->Open();
  FileSegment::Record r;
  r.kind = a.kind;
  ASSIGN_OR_RETURN(r.path, State::Put(s, a.path));
  if (a.stats) {
    ASSIGN_OR_RETURN(r.stats, State::Put(s, *a.stats));
  }
  if (a.clustering_provider) {
    ASSIGN_OR_RETURN(r.clustering, State::Put(s, *a.clustering_provider));
  }
  if (a.has_partition_values) {
    r.flags |= kHasPartitionValues;
    RETURN_NOT_OK(state_->Pairs(s, a.partition_values, &r.pv_begin, &r.pv_count));
  } else {
    r.pv_begin = static_cast<uint32_t>(s.pairs.size());
  }
  if (a.has_tags) RETURN_NOT_OK(state_->Pairs(s, a.tags, &r.tags_begin, &r.tags_count));
  if (a.data_change) r.flags |= kDataChange;
  auto opt = [&](const std::optional<int64_t>& v, int64_t* field, Flag flag) {
    if (!v) return;
    *field = *v;
    r.flags |= flag;
  };
  opt(a.size, &r.size, kHasSize);
  opt(a.modification_time, &r.mtime, kHasMtime);
  opt(a.deletion_timestamp, &r.deletion_ts, kHasDeletionTs);
  opt(a.base_row_id, &r.base_row_id, kHasBaseRowId);
  opt(a.default_row_commit_version, &r.default_rcv, kHasDefaultRcv);
  if (a.extended_file_metadata) {
    r.flags |= kHasExtended;
    if (*a.extended_file_metadata) r.flags |= kExtendedValue;
  }
  if (a.deletion_vector) {
    const DeletionVectorView& dv = *a.deletion_vector;
    FileSegment::Dv d;
    d.type = dv.storage_type;
    ASSIGN_OR_RETURN(d.path, State::Put(s, dv.path_or_inline_dv));
    d.has_offset = dv.offset.has_value();
    d.offset = dv.offset.value_or(0);
    d.size = dv.size_in_bytes;
    d.cardinality = dv.cardinality;
    d.has_max_row_index = dv.max_row_index.has_value();
    d.max_row_index = dv.max_row_index.value_or(0);
    r.dv = static_cast<uint32_t>(s.dvs.size());
    s.dvs.push_back(d);
    r.hash = KeyHash(a.path, dv.storage_type, dv.path_or_inline_dv, dv.offset);
  } else {
    r.hash = KeyHash(a.path, 0, {}, std::nullopt);
  }
  s.records.push_back(r);
  return Status::OK();
}

FileTable FileTableBuilder::Finish() {
  State& st = *state_;
  FileTable& t = st.table;
  const size_t base_segments = st.first_new_segment;
  for (auto& seg : st.fresh) {
    if (seg->records.empty()) continue;
    // Growth by doubling leaves up to half of each buffer unused: give it back.
    seg->arena.shrink_to_fit();
    seg->records.shrink_to_fit();
    seg->pairs.shrink_to_fit();
    seg->dvs.shrink_to_fit();
    t.segments_.push_back(seg);
    t.superseded_.push_back(nullptr);
  }
  st.fresh.clear();

  IdSpace ids;
  uint32_t next = 0;
  for (const auto& s : t.segments_) {
    ids.base.push_back(next);
    next += static_cast<uint32_t>(s->records.size());
  }
  size_t new_records = 0;
  for (size_t i = base_segments; i < t.segments_.size(); ++i) {
    new_records += t.segments_[i]->records.size();
  }

  // Reconcile the new records in log order: each supersedes the live record with its key.
  KeyIndex index = *t.index_;
  index.Reserve(new_records);
  std::vector<std::shared_ptr<std::vector<uint64_t>>> bits(t.segments_.size());
  auto mark = [&](FileRef ref) {
    auto& b = bits[ref.segment];
    if (!b) {
      const auto& old = t.superseded_[ref.segment];
      size_t words = (t.segments_[ref.segment]->records.size() + 63) / 64;
      b = old ? std::make_shared<std::vector<uint64_t>>(*old)
              : std::make_shared<std::vector<uint64_t>>(words, 0);
    }
    (*b)[ref.record >> 6] |= uint64_t{1} << (ref.record & 63);
  };
  bool base_changed = false;
  for (size_t si = base_segments; si < t.segments_.size(); ++si) {
    const FileSegment& seg = *t.segments_[si];
    for (uint32_t ri = 0; ri < seg.records.size(); ++ri) {
      const uint64_t hash = seg.rec(ri).hash;
      auto [pos, old] = index.Find(hash, [&](uint32_t id) {
        FileRef ref = ids.Resolve(id);
        return SameKey(*t.segments_[ref.segment], ref.record, seg, ri);
      });
      if (old != kNone) {
        FileRef ref = ids.Resolve(old);
        mark(ref);
        if (ref.segment < base_segments) base_changed = true;
      }
      index.Store(pos, hash, ids.base[si] + ri, old == kNone);
    }
  }
  for (size_t i = 0; i < bits.size(); ++i) {
    if (bits[i]) t.superseded_[i] = std::move(bits[i]);
  }
  t.index_ = std::make_shared<const KeyIndex>(std::move(index));

  auto is_superseded = [&](FileRef ref) {
    const auto& b = t.superseded_[ref.segment];
    return b && ((*b)[ref.record >> 6] >> (ref.record & 63)) & 1;
  };
  auto active = std::make_shared<std::vector<FileRef>>();
  auto tombstones = std::make_shared<std::vector<FileRef>>();
  int64_t total = 0;
  // The base lists stay valid except for records the new commits superseded.
  active->reserve(t.active_->size() + new_records);
  for (FileRef ref : *t.active_) {
    if (base_changed && is_superseded(ref)) continue;
    active->push_back(ref);
    total += t.segments_[ref.segment]->rec(ref.record).size;
  }
  for (FileRef ref : *t.tombstones_) {
    if (base_changed && is_superseded(ref)) continue;
    tombstones->push_back(ref);
  }
  for (size_t si = base_segments; si < t.segments_.size(); ++si) {
    const FileSegment& seg = *t.segments_[si];
    for (uint32_t ri = 0; ri < seg.records.size(); ++ri) {
      FileRef ref{static_cast<uint32_t>(si), ri};
      if (is_superseded(ref)) continue;
      if (seg.rec(ri).kind == FileActionKind::kAdd) {
        active->push_back(ref);
        total += seg.rec(ri).size;
      } else {
        tombstones->push_back(ref);
      }
    }
  }
  t.active_ = std::move(active);
  t.tombstones_ = std::move(tombstones);
  t.total_bytes_ = total;
  st.first_new_segment = t.segments_.size();
  st.segment_open = false;
  return t;
}

}  // namespace ds::delta
