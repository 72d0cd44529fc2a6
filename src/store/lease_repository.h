#pragma once
// The connector lease per (instance, account) (CONTRACT §5.3 step 1). The store part only: rows with an owner
// `host:pid:random` and expires_at. Liveness of a same-host owner (the advisory flock on `<store>.lock`) is the
// connector's: it passes `take_over_live = true` when it knows the holder is dead.

#include <optional>
#include <string>

#include "core/result.h"
#include "store/database.h"
#include "store/store_types.h"

namespace emailv2::store {

struct LeaseOwner {
  std::string host;
  std::int64_t pid = 0;
  std::string random;
  // "host:pid:random"
  std::string to_string() const;
  // Parses the last two ':'-separated fields as pid and random (a host may hold ':'); nullopt if malformed.
  static std::optional<LeaseOwner> parse(std::string_view text);
};

struct Lease {
  std::string instance;
  std::string account;
  std::string owner;  // LeaseOwner::to_string()
  TimePoint acquired_at;
  TimePoint expires_at;
};

struct LeaseTake {
  bool taken = false;
  std::optional<Lease> holder;  // the live lease that blocked us (when !taken), or the lease we replaced
};

class LeaseRepository {
 public:
  explicit LeaseRepository(Database& db) : db_(db) {}

  Result<std::optional<Lease>> current(std::string_view instance, std::string_view account);
  // Takes the lease when there is none, it expired (expires_at <= now), it is already ours, or take_over_live.
  Result<LeaseTake> take(WriteTransaction& tx, std::string_view instance, std::string_view account,
                         std::string_view owner, TimePoint now, TimePoint expires_at, bool take_over_live = false);
  // Extends our lease; false when it is no longer ours (taken over).
  Result<bool> renew(WriteTransaction& tx, std::string_view instance, std::string_view account,
                     std::string_view owner, TimePoint expires_at);
  // Deletes the lease if it is ours; false when it was not.
  Result<bool> release(WriteTransaction& tx, std::string_view instance, std::string_view account,
                       std::string_view owner);

 private:
  Database& db_;
};

}  // namespace emailv2::store
