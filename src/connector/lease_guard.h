#pragma once
// The connector lease (CONTRACT §5.3 step 1): an advisory flock on `<store>.lock`, held for the whole cycle (the
// kernel drops it on any exit, kill -9 included), plus the store's lease row per (instance, account) with
// expires_at = now + Script Timeout + 60 s.
//
//  * The flock is taken without waiting. Busy → a live process on this host is running a cycle on this store:
//    the result is `held` (the caller prints status "skipped", exit 75). One store file therefore runs one cycle at
//    a time, whatever the instance (see docs/connector.md).
//  * With the flock ours, a lease row of another owner on THIS host belongs to a dead process (a live one would hold
//    the flock): it is taken over at once. An owner on another host is live until expires_at.
//  * release() (also run by the destructor, best effort) deletes our row, then unlocks the file. Errors are values.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"
#include "store/lease_repository.h"

namespace emailv2::connector {

inline constexpr std::chrono::seconds kLeaseSlack{60};

class LeaseGuard {
 public:
  struct Request {
    std::filesystem::path store_path;
    std::string instance;
    std::string account;
    std::chrono::seconds ttl;  // Script Timeout + kLeaseSlack
  };

  // Ok(guard) whether taken or not: check taken(). Errors: IO_ERROR (lock file), STORE_*.
  static Result<LeaseGuard> acquire(store::Database& db, const Request& request, const Clock& clock);

  LeaseGuard(LeaseGuard&& other) noexcept;
  LeaseGuard& operator=(LeaseGuard&&) = delete;
  LeaseGuard(const LeaseGuard&) = delete;
  LeaseGuard& operator=(const LeaseGuard&) = delete;
  ~LeaseGuard();

  bool taken() const { return taken_; }
  // The live lease that blocked us (when !taken(); may be empty when only the flock told us).
  const std::optional<store::Lease>& holder() const { return holder_; }
  const std::string& owner() const { return owner_; }
  Status release();

  static std::filesystem::path lock_path(const std::filesystem::path& store_path);
  static std::string local_host();

 private:
  LeaseGuard(store::Database* db, Request request, int fd) : db_(db), request_(std::move(request)), fd_(fd) {}
  Status take(const Clock& clock);

  store::Database* db_ = nullptr;
  Request request_;
  int fd_ = -1;
  bool taken_ = false;
  std::string owner_;
  std::optional<store::Lease> holder_;
};

}  // namespace emailv2::connector
