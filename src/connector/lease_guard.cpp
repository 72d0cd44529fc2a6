#include "connector/lease_guard.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "core/log.h"
#include "core/text.h"

namespace emailv2::connector {
namespace {

std::string random_token() {
  std::random_device rd;
  const std::uint64_t v = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  return fmt::format("{:016x}", v);
}

}  // namespace

std::filesystem::path LeaseGuard::lock_path(const std::filesystem::path& store_path) {
  return std::filesystem::path(store_path.string() + ".lock");
}

std::string LeaseGuard::local_host() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

Result<LeaseGuard> LeaseGuard::acquire(store::Database& db, const Request& request, const Clock& clock) {
  const std::string path = lock_path(request.store_path).string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return fail(ErrorCode::kIoError, "cannot open lock file " + text::echo_value(path) + ": " + std::strerror(errno));
  }
  LeaseGuard guard(&db, request, fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      return fail(ErrorCode::kIoError, "cannot lock " + text::echo_value(path) + ": " + std::strerror(errno));
    }
    auto current = store::LeaseRepository(db).current(request.instance, request.account);
    if (current) guard.holder_ = *current;
    return guard;
  }
  EMAILV2_TRY(guard.take(clock));
  return guard;
}

Status LeaseGuard::take(const Clock& clock) {
  const std::string host = local_host();
  owner_ = store::LeaseOwner{host, static_cast<std::int64_t>(::getpid()), random_token()}.to_string();
  store::LeaseRepository leases(*db_);
  auto current = leases.current(request_.instance, request_.account);
  if (!current) return fail(current.error());
  bool take_over = false;
  if (*current) {
    const auto holder = store::LeaseOwner::parse((*current)->owner);
    // We hold the flock: a same-host holder cannot be alive.
    take_over = holder && holder->host == host;
  }
  auto tx = db_->begin_write();
  if (!tx) return fail(tx.error());
  const auto now = clock.now();
  auto took = leases.take(*tx, request_.instance, request_.account, owner_, now, now + request_.ttl, take_over);
  if (!took) return fail(took.error());
  EMAILV2_TRY(tx->commit());
  taken_ = took->taken;
  holder_ = took->holder;
  if (taken_ && holder_) log::warn("connector", "took over the lease of dead owner {}", holder_->owner);
  if (!taken_) {
    ::flock(fd_, LOCK_UN);
  }
  return ok();
}

Status LeaseGuard::release() {
  if (fd_ < 0) return ok();
  Status status = ok();
  if (taken_) {
    taken_ = false;
    auto tx = db_->begin_write();
    if (!tx) {
      status = fail(tx.error());
    } else {
      auto released = store::LeaseRepository(*db_).release(*tx, request_.instance, request_.account, owner_);
      if (!released) status = fail(released.error());
      else status = tx->commit();
    }
  }
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
  fd_ = -1;
  return status;
}

LeaseGuard::LeaseGuard(LeaseGuard&& other) noexcept
    : db_(other.db_), request_(std::move(other.request_)), fd_(other.fd_), taken_(other.taken_),
      owner_(std::move(other.owner_)), holder_(std::move(other.holder_)) {
  other.fd_ = -1;
  other.taken_ = false;
}

LeaseGuard::~LeaseGuard() {
  const Status s = release();
  if (!s) log::warn("connector", "could not release the lease: {}", s.error().to_string());
}

}  // namespace emailv2::connector
