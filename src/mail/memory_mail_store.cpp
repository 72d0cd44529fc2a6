#include "mail/memory_mail_store.h"

#include <algorithm>

#include "core/log.h"
#include "core/text.h"
#include "mail/memory_mail_store_search.h"

namespace emailv2::mail {
namespace {

constexpr std::string_view kLog = "mail";
constexpr std::uint64_t kFirstUidValidity = 1'000;

bool breaks_connection(ErrorCode code) {
  return code == ErrorCode::kImapBye || code == ErrorCode::kTimeout || code == ErrorCode::kProtocolError;
}

std::string folder_key(std::string_view folder) {
  if (text::iequals_ascii(folder, "INBOX")) return "INBOX";
  return std::string(folder);
}

tl::unexpected<Error> not_found(std::string_view folder) {
  return fail(ErrorCode::kFolderNotFound, "Folder " + std::string(folder) + " not found");
}

Status check_value(std::string_view what, std::string_view value) {
  if (text::has_line_breaks_or_nul(value)) return fail(ErrorCode::kParamInvalid, std::string(what) + " contains a line break or NUL");
  return ok();
}

std::vector<std::uint32_t> sorted_unique(std::vector<std::uint32_t> uids) {
  std::erase(uids, 0U);
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

MessageMetadata metadata_of(const MemoryMessage& m) {
  return {m.uid, m.flags, m.internal_date, m.raw.size()};
}

Result<imap::Body> body_of(std::string_view bytes) {
  auto writer = imap::BodyWriter::start(bytes.size());
  if (!writer) return fail(writer.error());
  EMAILV2_TRY(writer->append(bytes));
  return writer->finish();
}

}  // namespace

MemoryMailStore::MemoryMailStore(MemoryCapabilities capabilities, const Clock& clock)
    : capabilities_(capabilities), clock_(clock), next_uid_validity_(kFirstUidValidity) {
  create("INBOX");
}

MemoryMailStore::~MemoryMailStore() = default;

// ---- setting up, inspecting, injecting ----

void MemoryMailStore::create_folder(std::string_view folder, std::vector<std::string> attributes) {
  std::lock_guard lock(mutex_);
  Folder& f = create(folder);
  if (!attributes.empty()) f.attributes = std::move(attributes);
}

std::uint32_t MemoryMailStore::deliver(std::string_view folder, std::string raw, std::optional<TimePoint> internal_date,
                                       std::vector<std::string> flags) {
  std::uint32_t uid = 0;
  {
    std::lock_guard lock(mutex_);
    MemoryMessage m;
    m.raw = std::move(raw);
    m.internal_date = internal_date.value_or(std::chrono::floor<std::chrono::seconds>(clock_.now()));
    for (auto& flag : flags) add_flag(m.flags, flag);
    uid = append(create(folder), std::move(m));
  }
  delivered_.notify_all();
  return uid;
}

std::vector<MemoryMessage> MemoryMailStore::messages(std::string_view folder) const {
  std::lock_guard lock(mutex_);
  std::vector<MemoryMessage> out;
  if (const Folder* f = find(folder)) {
    for (const auto& [uid, m] : f->messages) out.push_back(m);
  }
  return out;
}

std::optional<MemoryMessage> MemoryMailStore::message(std::string_view folder, std::uint32_t uid) const {
  std::lock_guard lock(mutex_);
  const Folder* f = find(folder);
  if (f == nullptr) return std::nullopt;
  const auto it = f->messages.find(uid);
  if (it == f->messages.end()) return std::nullopt;
  return it->second;
}

std::uint64_t MemoryMailStore::uid_validity(std::string_view folder) const {
  std::lock_guard lock(mutex_);
  const Folder* f = find(folder);
  return f == nullptr ? 0 : f->uid_validity;
}

std::size_t MemoryMailStore::connections() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

std::size_t MemoryMailStore::calls(Call call) const {
  std::lock_guard lock(mutex_);
  const auto it = calls_.find(call);
  return it == calls_.end() ? 0 : it->second;
}

void MemoryMailStore::set_delimiter(char delimiter) {
  std::lock_guard lock(mutex_);
  delimiter_ = delimiter;
}

void MemoryMailStore::fail_call(Call call, std::size_t nth, Error error) {
  std::lock_guard lock(mutex_);
  injected_[call].push_back({calls_[call] + std::max<std::size_t>(nth, 1), std::move(error)});
}

void MemoryMailStore::fail_nth_message(std::size_t nth, Error error) {
  std::lock_guard lock(mutex_);
  message_failures_.insert_or_assign(messages_streamed_ + std::max<std::size_t>(nth, 1), std::move(error));
}

void MemoryMailStore::make_unfetchable(std::string_view folder, std::uint32_t uid, std::optional<Error> error) {
  std::lock_guard lock(mutex_);
  create(folder).unfetchable.insert_or_assign(uid, std::move(error));
}

void MemoryMailStore::change_uid_validity(std::string_view folder, std::uint64_t uid_validity) {
  std::lock_guard lock(mutex_);
  Folder& f = create(folder);
  std::map<std::uint32_t, MemoryMessage> renumbered;
  std::uint32_t uid = 1;
  for (auto& [old_uid, m] : f.messages) {
    m.uid = uid;
    renumbered.emplace(uid++, std::move(m));
  }
  f.messages = std::move(renumbered);
  f.uid_next = uid;
  f.uid_validity = uid_validity;
  f.unfetchable.clear();
  if (selected_ == folder_key(folder)) watched_uid_next_ = f.uid_next;
}

// ---- internals ----

Status MemoryMailStore::begin(Call call, std::string_view folder) {
  const std::size_t n = ++calls_[call];
  if (broken_) return fail(*broken_);
  if (!folder.empty()) EMAILV2_TRY(check_value("folder name", folder));
  if (!connected_ && call != Call::kClose) {
    const std::size_t c = ++calls_[Call::kConnect];
    auto& connect_faults = injected_[Call::kConnect];
    for (auto it = connect_faults.begin(); it != connect_faults.end(); ++it) {
      if (it->nth != c) continue;
      Error e = it->error;
      connect_faults.erase(it);
      return fail(std::move(e));
    }
    connected_ = true;
    ++connections_;
  }
  auto& faults = injected_[call];
  for (auto it = faults.begin(); it != faults.end(); ++it) {
    if (it->nth != n) continue;
    Error e = it->error;
    faults.erase(it);
    if (breaks_connection(e.code())) broken_ = e;
    return fail(std::move(e));
  }
  return ok();
}

MemoryMailStore::Folder* MemoryMailStore::find(std::string_view folder) {
  const auto it = folders_.find(folder_key(folder));
  return it == folders_.end() ? nullptr : &it->second;
}

const MemoryMailStore::Folder* MemoryMailStore::find(std::string_view folder) const {
  const auto it = folders_.find(folder_key(folder));
  return it == folders_.end() ? nullptr : &it->second;
}

MemoryMailStore::Folder& MemoryMailStore::create(std::string_view folder) {
  const std::string key = folder_key(folder);
  auto it = folders_.find(key);
  if (it != folders_.end()) return it->second;
  Folder f;
  f.name = key;
  f.attributes = {"\\HasNoChildren"};
  f.uid_validity = next_uid_validity_++;
  return folders_.emplace(key, std::move(f)).first->second;
}

std::uint32_t MemoryMailStore::append(Folder& folder, MemoryMessage message) {
  message.uid = folder.uid_next++;
  const std::uint32_t uid = message.uid;
  folder.messages.emplace(uid, std::move(message));
  return uid;
}

Result<MemoryMailStore::Folder*> MemoryMailStore::open(std::string_view folder, Access access) {
  Folder* f = find(folder);
  if (f == nullptr) {
    selected_.reset();
    return not_found(folder);
  }
  const bool reusable = selected_ == f->name && (access == Access::kReadOnly || !selected_read_only_);
  if (!reusable) {
    selected_ = f->name;
    selected_read_only_ = access == Access::kReadOnly;
    watched_uid_next_ = f->uid_next;
  }
  return f;
}

std::vector<std::uint32_t> MemoryMailStore::existing(const Folder& folder,
                                                     const std::vector<std::uint32_t>& uids) const {
  std::vector<std::uint32_t> out;
  for (auto uid : sorted_unique(uids)) {
    if (folder.messages.count(uid) != 0) out.push_back(uid);
  }
  return out;
}

Status MemoryMailStore::safety_rule(Folder& folder, const std::vector<std::uint32_t>& uids) {
  if (capabilities_.uidplus) return ok();
  for (const auto& [uid, m] : folder.messages) {
    if (has_flag(m.flags, "\\Deleted") && !std::binary_search(uids.begin(), uids.end(), uid)) {
      return fail(ErrorCode::kCapabilityMissing,
                  "server lacks UIDPLUS and other messages are flagged \\Deleted; the original was not removed");
    }
  }
  return ok();
}

// ---- MailStore ----

Result<FolderInfo> MemoryMailStore::open_folder(std::string_view folder, Access access, Deadline) {
  std::lock_guard lock(mutex_);
  EMAILV2_TRY(begin(Call::kOpenFolder, folder));
  selected_.reset();
  auto f = open(folder, access);
  if (!f) return fail(f.error());
  const Folder& opened = **f;
  return FolderInfo{std::string(folder), opened.uid_validity, opened.uid_next,
                    static_cast<std::uint32_t>(opened.messages.size()), access == Access::kReadOnly};
}

Result<std::vector<FolderListing>> MemoryMailStore::list_folders(Deadline) {
  std::lock_guard lock(mutex_);
  EMAILV2_TRY(begin(Call::kListFolders));
  std::vector<FolderListing> out;
  for (const auto& [key, f] : folders_) out.push_back({f.name, f.attributes, delimiter_});
  return out;
}

Result<std::optional<FolderListing>> MemoryMailStore::find_folder(std::string_view folder, Deadline) {
  std::lock_guard lock(mutex_);
  EMAILV2_TRY(begin(Call::kFindFolder, folder));
  const Folder* f = find(folder);
  if (f == nullptr) return std::optional<FolderListing>{};
  return std::optional<FolderListing>(FolderListing{f->name, f->attributes, delimiter_});
}

Result<std::vector<std::uint32_t>> MemoryMailStore::search(std::string_view folder, const SearchCriteria& criteria,
                                                           Deadline) {
  std::lock_guard lock(mutex_);
  EMAILV2_TRY(begin(Call::kSearch, folder));
  EMAILV2_TRY(validate(criteria));
  auto f = open(folder, Access::kReadOnly);
  if (!f) return fail(f.error());
  std::vector<std::uint32_t> out;
  for (const auto& [uid, m] : (*f)->messages) {
    if (matches(m, criteria)) out.push_back(uid);
  }
  return out;
}

Result<std::vector<std::uint32_t>> MemoryMailStore::find_by_message_id(std::string_view folder,
                                                                       std::string_view message_id, Deadline) {
  std::lock_guard lock(mutex_);
  EMAILV2_TRY(begin(Call::kFindByMessageId, folder));
  EMAILV2_TRY(check_value("Message-ID", message_id));
  const std::string wanted = normalise_message_id(message_id);
  auto f = open(folder, Access::kReadOnly);
  if (!f) return fail(f.error());
  std::vector<std::uint32_t> out;
  if (wanted.empty()) return out;
  for (const auto& [uid, m] : (*f)->messages) {
    const auto id = header_field_value(header_section(m.raw), "Message-ID");
    if (id && same_message_id(*id, wanted)) out.push_back(uid);
  }
  return out;
}

Result<std::vector<MessageMetadata>> MemoryMailStore::fetch_metadata(std::string_view folder,
                                                                     const std::vector<std::uint32_t>& uids,
                                                                     Deadline) {
  std::lock_guard lock(mutex_);
  EMAILV2_TRY(begin(Call::kFetchMetadata, folder));
  auto f = open(folder, Access::kReadOnly);
  if (!f) return fail(f.error());
  std::vector<MessageMetadata> out;
  for (auto uid : existing(**f, uids)) out.push_back(metadata_of((*f)->messages.at(uid)));
  return out;
}

Result<std::vector<MessageHeaders>> MemoryMailStore::fetch_headers(std::string_view folder,
                                                                   const std::vector<std::uint32_t>& uids, Deadline) {
  std::lock_guard lock(mutex_);
  EMAILV2_TRY(begin(Call::kFetchHeaders, folder));
  auto f = open(folder, Access::kReadOnly);
  if (!f) return fail(f.error());
  std::vector<MessageHeaders> out;
  for (auto uid : existing(**f, uids)) {
    const auto bad = (*f)->unfetchable.find(uid);
    if (bad != (*f)->unfetchable.end()) {
      if (bad->second) return fail(*bad->second);
      continue;
    }
    out.push_back({uid, std::string(header_section((*f)->messages.at(uid).raw))});
  }
  return out;
}

Result<FetchReport> MemoryMailStore::fetch_messages(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                                    std::uint64_t max_message_bytes,
                                                    const MessageCallback& on_message, Deadline) {
  std::unique_lock lock(mutex_);
  EMAILV2_TRY(begin(Call::kFetchMessages, folder));
  auto f = open(folder, Access::kReadOnly);
  if (!f) return fail(f.error());
  return stream(lock, **f, uids, max_message_bytes, on_message);
}

Result<FetchReport> MemoryMailStore::stream(std::unique_lock<std::mutex>& lock, const Folder& folder,
                                            const std::vector<std::uint32_t>& uids, std::uint64_t max_message_bytes,
                                            const MessageCallback& on_message) {
  FetchReport report;
  const std::string name = folder.name;
  for (auto uid : sorted_unique(uids)) {
    Folder* f = find(name);  // the callback may have changed the store (it runs unlocked)
    if (f == nullptr || f->messages.count(uid) == 0) {
      report.missing.push_back(uid);
      continue;
    }
    if (const auto bad = f->unfetchable.find(uid); bad != f->unfetchable.end()) {
      if (bad->second) return fail(*bad->second);
      report.missing.push_back(uid);
      continue;
    }
    if (const auto injected = message_failures_.find(++messages_streamed_); injected != message_failures_.end()) {
      Error e = injected->second;
      message_failures_.erase(injected);
      if (breaks_connection(e.code())) broken_ = e;
      return fail(std::move(e));
    }
    const MemoryMessage& m = f->messages.at(uid);
    const bool over = m.raw.size() > max_message_bytes;
    auto body = body_of(over ? header_section(m.raw) : std::string_view(m.raw));
    if (!body) return fail(body.error());
    StoredMessage stored{metadata_of(m), over, std::move(*body)};
    ++report.delivered;
    lock.unlock();
    Status status = on_message(std::move(stored));
    lock.lock();
    if (!status) return fail(status.error());
  }
  for (auto uid : report.missing) log::warn(kLog, "UID {} in {} vanished before it could be fetched", uid, name);
  return report;
}

Status MemoryMailStore::add_flags(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                  const std::vector<std::string>& flags, Deadline) {
  std::lock_guard lock(mutex_);
  EMAILV2_TRY(begin(Call::kAddFlags, folder));
  auto f = open(folder, Access::kReadWrite);
  if (!f) return fail(f.error());
  if (sorted_unique(uids).empty() || flags.empty()) return ok();
  for (const auto& flag : flags) EMAILV2_TRY(check_flag(flag));
  for (auto uid : existing(**f, uids)) {
    for (const auto& flag : flags) add_flag((*f)->messages.at(uid).flags, flag);
  }
  return ok();
}

Result<MoveReport> MemoryMailStore::move(std::string_view folder, const std::vector<std::uint32_t>& uids,
                                         std::string_view destination, Deadline) {
  std::lock_guard lock(mutex_);
  EMAILV2_TRY(begin(Call::kMove, folder));
  EMAILV2_TRY(check_value("folder name", destination));
  Folder* dest = find(destination);
  if (dest == nullptr) return not_found(destination);
  auto f = open(folder, Access::kReadWrite);
  if (!f) return fail(f.error());
  Folder& source = **f;
  MoveReport report;
  report.destination = std::string(destination);
  const auto present = existing(source, uids);
  if (present.empty()) return report;
  const bool reports_uids = capabilities_.move || capabilities_.uidplus;
  if (reports_uids) report.destination_uid_validity = dest->uid_validity;
  std::vector<MemoryMessage> copies;
  for (auto uid : present) copies.push_back(source.messages.at(uid));
  for (std::size_t i = 0; i < present.size(); ++i) {
    const std::uint32_t new_uid = append(*dest, copies[i]);
    report.moved.push_back({present[i], reports_uids ? std::optional<std::uint32_t>(new_uid) : std::nullopt});
  }
  if (!capabilities_.move) EMAILV2_TRY(safety_rule(source, present));
  for (auto uid : present) source.messages.erase(uid);
  return report;
}

Result<std::vector<std::uint32_t>> MemoryMailStore::delete_messages(std::string_view folder,
                                                                    const std::vector<std::uint32_t>& uids,
                                                                    Deadline) {
  std::lock_guard lock(mutex_);
  EMAILV2_TRY(begin(Call::kDeleteMessages, folder));
  auto f = open(folder, Access::kReadWrite);
  if (!f) return fail(f.error());
  const auto present = existing(**f, uids);
  EMAILV2_TRY(safety_rule(**f, present));
  for (auto uid : present) (*f)->messages.erase(uid);
  return present;
}

Result<bool> MemoryMailStore::wait_for_new_mail(std::string_view folder, Deadline until, const WaitOptions&,
                                                Deadline deadline) {
  std::unique_lock lock(mutex_);
  EMAILV2_TRY(begin(Call::kWaitForNewMail, folder));
  auto f = open(folder, Access::kReadOnly);
  if (!f) return fail(f.error());
  const std::string name = (*f)->name;
  const auto grew = [&] {
    const Folder* now = find(name);
    return now != nullptr && selected_ == name && now->uid_next > watched_uid_next_;
  };
  const Deadline stop = until.earliest(deadline);
  const bool arrived = stop.is_never() ? (delivered_.wait(lock, grew), true)
                                       : delivered_.wait_until(lock, stop.time_point(), grew);
  if (!arrived) return false;
  if (const Folder* now = find(name)) watched_uid_next_ = now->uid_next;
  return true;
}

Status MemoryMailStore::close(Deadline) {
  std::lock_guard lock(mutex_);
  const std::size_t n = ++calls_[Call::kClose];
  const bool was_connected = connected_ && !broken_;
  connected_ = false;
  broken_.reset();
  selected_.reset();
  auto& faults = injected_[Call::kClose];
  for (auto it = faults.begin(); it != faults.end(); ++it) {
    if (it->nth != n) continue;
    Error e = it->error;
    faults.erase(it);
    if (was_connected) return fail(std::move(e));  // LOGOUT failed; the connection is forgotten all the same
  }
  return ok();
}

}  // namespace emailv2::mail
