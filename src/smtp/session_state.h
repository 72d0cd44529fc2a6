#pragma once
// Internal: the state behind smtp::Session and the I/O primitives its steps share (one command line out, one reply
// in, the trace, the step deadlines). Not for use outside src/smtp/.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "smtp/session.h"

namespace emailv2::smtp {

struct Session::State {
  std::unique_ptr<net::Transport> transport;
  std::string endpoint;  // "host:port" for messages
  std::chrono::milliseconds operation_timeout{60'000};
  std::uint64_t max_message_bytes = 0;
  Extensions extensions;
  std::string auth_mechanism;
  ReplyParser parser;
  std::string inbox;  // bytes read but not yet parsed (pipelined replies)
  bool open = true;

  // The deadline of one step: operation_timeout from now, or the caller's deadline when that comes first.
  Deadline step(Deadline caller, std::chrono::milliseconds timeout) const;
  // Writes `line` CRLF; the trace shows `shown` instead of the line (for AUTH payloads). Closes on error.
  Status write_line(std::string_view line, Deadline caller, std::string_view shown = {});
  // Reads one reply. `waiting_for` names it in TIMEOUT and EOF errors ("response to EHLO"). Closes on error.
  Result<Reply> read_reply(std::string_view waiting_for, Deadline caller);
  Result<Reply> read_reply(std::string_view waiting_for, Deadline caller, std::chrono::milliseconds timeout);
  // write_line + read_reply("response to <name>").
  Result<Reply> command(std::string_view line, std::string_view name, Deadline caller, std::string_view shown = {});
  Status fail_closed(Error error);
  Error closed_error() const;
  void close();

  // Connection phase (session.cpp / auth.cpp).
  Status greet(Deadline caller);
  Status hello(std::string_view domain, Deadline caller);
  Status start_tls(std::string_view domain, Deadline caller);
  Status authenticate(const SessionOptions& options, Deadline caller);

  // Transaction phase (transaction.cpp).
  Result<SendReceipt> send(const Envelope& envelope, MessageSource& message, Deadline caller);
  Result<SendReceipt> reject(std::string_view step, const Reply& reply, Deadline caller);
  Status noop(Deadline caller);
  void quit(Deadline caller);
};

}  // namespace emailv2::smtp
