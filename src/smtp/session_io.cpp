#include <array>

#include "core/log.h"
#include "smtp/session_state.h"

namespace emailv2::smtp {
namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::string_view kLog = "smtp";

void trace_reply(const Reply& reply) {
  if (!log::enabled(log::Level::kTrace)) return;
  for (std::size_t i = 0; i < reply.lines.size(); ++i) {
    const char sep = i + 1 == reply.lines.size() ? ' ' : '-';
    log::trace(kLog, "S: {}{}{}", reply.code, sep, reply.lines[i]);
  }
}

long long whole_seconds(std::chrono::milliseconds d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d + std::chrono::milliseconds(999)).count();
}

}  // namespace

Deadline Session::State::step(Deadline caller, std::chrono::milliseconds timeout) const {
  return Deadline::after(timeout).earliest(caller);
}

Status Session::State::write_line(std::string_view line, Deadline caller, std::string_view shown) {
  if (!open) return fail(closed_error());
  log::trace(kLog, "C: {}", shown.empty() ? line : shown);
  std::string out;
  out.reserve(line.size() + 2);
  out.append(line).append("\r\n");
  auto written = transport->write_all(out, step(caller, operation_timeout));
  if (!written) return fail_closed(written.error());
  return ok();
}

Result<Reply> Session::State::read_reply(std::string_view waiting_for, Deadline caller) {
  return read_reply(waiting_for, caller, operation_timeout);
}

Result<Reply> Session::State::read_reply(std::string_view waiting_for, Deadline caller,
                                         std::chrono::milliseconds timeout) {
  if (!open) return fail(closed_error());
  const Deadline deadline = step(caller, timeout);
  std::array<char, kReadChunk> buffer{};
  for (;;) {
    const FeedResult fed = parser.feed(inbox);
    inbox.erase(0, fed.consumed);
    if (fed.status == ParseStatus::kDone) {
      Reply reply = parser.take();
      trace_reply(reply);
      return reply;
    }
    if (fed.status == ParseStatus::kError) {
      Error error = parser.error();
      parser.reset();
      return tl::unexpected(fail_closed(std::move(error)).error());
    }
    auto n = transport->read_some(buffer, deadline, waiting_for);
    if (!n) {
      Error error = n.error();
      if (error.code() == ErrorCode::kTimeout && !caller.expired()) {
        error = Error(ErrorCode::kTimeout, "Timed out after " + std::to_string(whole_seconds(timeout)) +
                                               " s waiting for " + std::string(waiting_for) + " from " + endpoint);
      }
      return tl::unexpected(fail_closed(std::move(error)).error());
    }
    if (*n == 0) {
      return tl::unexpected(
          fail_closed(Error(ErrorCode::kProtocolError,
                            "connection closed by " + endpoint + " while waiting for " + std::string(waiting_for)))
              .error());
    }
    inbox.append(buffer.data(), *n);
  }
}

Result<Reply> Session::State::command(std::string_view line, std::string_view name, Deadline caller,
                                      std::string_view shown) {
  EMAILV2_TRY(write_line(line, caller, shown));
  return read_reply("response to " + std::string(name), caller);
}

Status Session::State::fail_closed(Error error) {
  close();
  return tl::unexpected(std::move(error));
}

Error Session::State::closed_error() const {
  return Error(ErrorCode::kProtocolError, "SMTP session is closed");
}

void Session::State::close() {
  open = false;
  if (transport) transport->close();
}

}  // namespace emailv2::smtp
