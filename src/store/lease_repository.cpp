#include "store/lease_repository.h"

#include <charconv>

#include "store/statement.h"

namespace emailv2::store {
namespace {

Lease read_lease(const Statement& s) {
  return Lease{s.column_text(0), s.column_text(1), s.column_text(2), from_epoch_ms(s.column_int(3)),
               from_epoch_ms(s.column_int(4))};
}

Result<std::optional<Lease>> select_lease(const SqliteHandle& db, std::string_view instance,
                                          std::string_view account) {
  auto s = Statement::prepare(db,
                              "SELECT instance, account, owner, acquired_at, expires_at FROM lease "
                              "WHERE instance = ?1 AND account = ?2");
  if (!s) return fail(s.error());
  s->bind_text(1, instance).bind_text(2, account);
  auto row = s->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Lease>();
  return std::optional<Lease>(read_lease(*s));
}

}  // namespace

std::string LeaseOwner::to_string() const { return host + ":" + std::to_string(pid) + ":" + random; }

std::optional<LeaseOwner> LeaseOwner::parse(std::string_view text) {
  const auto last = text.rfind(':');
  if (last == std::string_view::npos || last == 0) return std::nullopt;
  const auto middle = text.rfind(':', last - 1);
  if (middle == std::string_view::npos || middle == 0) return std::nullopt;
  LeaseOwner owner;
  owner.host = std::string(text.substr(0, middle));
  const std::string_view pid = text.substr(middle + 1, last - middle - 1);
  const auto [end, ec] = std::from_chars(pid.data(), pid.data() + pid.size(), owner.pid);
  if (ec != std::errc() || end != pid.data() + pid.size() || pid.empty() || owner.pid <= 0) return std::nullopt;
  owner.random = std::string(text.substr(last + 1));
  if (owner.random.empty()) return std::nullopt;
  return owner;
}

Result<std::optional<Lease>> LeaseRepository::current(std::string_view instance, std::string_view account) {
  return select_lease(db_.handle(), instance, account);
}

Result<LeaseTake> LeaseRepository::take(WriteTransaction& tx, std::string_view instance, std::string_view account,
                                        std::string_view owner, TimePoint now, TimePoint expires_at,
                                        bool take_over_live) {
  auto held = select_lease(tx.handle(), instance, account);
  if (!held) return fail(held.error());
  LeaseTake result;
  if (*held) {
    const bool ours = (*held)->owner == owner;
    const bool expired = (*held)->expires_at <= now;
    if (!ours && !expired && !take_over_live) return LeaseTake{false, std::move(*held)};
    if (!ours) result.holder = std::move(*held);
  }
  auto s = Statement::prepare(tx.handle(),
                              "INSERT OR REPLACE INTO lease (instance, account, owner, acquired_at, expires_at) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!s) return fail(s.error());
  s->bind_text(1, instance).bind_text(2, account).bind_text(3, owner).bind_int(4, epoch_ms(now));
  s->bind_int(5, epoch_ms(expires_at));
  EMAILV2_TRY(s->run());
  result.taken = true;
  return result;
}

Result<bool> LeaseRepository::renew(WriteTransaction& tx, std::string_view instance, std::string_view account,
                                    std::string_view owner, TimePoint expires_at) {
  auto s = Statement::prepare(tx.handle(),
                              "UPDATE lease SET expires_at = ?4 WHERE instance = ?1 AND account = ?2 AND owner = ?3");
  if (!s) return fail(s.error());
  s->bind_text(1, instance).bind_text(2, account).bind_text(3, owner).bind_int(4, epoch_ms(expires_at));
  EMAILV2_TRY(s->run());
  return tx.handle().changes() == 1;
}

Result<bool> LeaseRepository::release(WriteTransaction& tx, std::string_view instance, std::string_view account,
                                      std::string_view owner) {
  auto s = Statement::prepare(tx.handle(), "DELETE FROM lease WHERE instance = ?1 AND account = ?2 AND owner = ?3");
  if (!s) return fail(s.error());
  s->bind_text(1, instance).bind_text(2, account).bind_text(3, owner);
  EMAILV2_TRY(s->run());
  return tx.handle().changes() == 1;
}

}  // namespace emailv2::store
