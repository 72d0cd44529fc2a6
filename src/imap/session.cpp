// Session: tags, the in-flight window, response dispatch and the broken-session rule. The connection flow
// (greeting, STARTTLS, authentication) is in session_connect.cpp.
#include "imap/session.h"

#include <algorithm>

#include "core/log.h"
#include "core/text.h"

namespace emailv2::imap {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::string_view kLog = "imap";

wire::DecoderOptions decoder_options(const SessionOptions& o) {
  wire::DecoderOptions d;
  d.max_literal_bytes = o.max_message_bytes + limits::kImapLiteralSlackBytes;
  return d;
}

bool applies_to_mailbox(const wire::Response& r) {
  using wire::ResponseKind;
  switch (r.kind) {
    case ResponseKind::kExists:
    case ResponseKind::kRecent:
    case ResponseKind::kExpunge:
    case ResponseKind::kVanished:
    case ResponseKind::kFlags:
      return true;
    case ResponseKind::kStatus:
      return r.status.tag.empty();
    default:
      return false;
  }
}

}  // namespace

Session::Session(std::unique_ptr<net::Transport> transport, const SessionOptions& options)
    : transport_(std::move(transport)), options_(options), decoder_(decoder_options(options)), buffer_(kReadChunk) {}

Session::~Session() {
  if (transport_ && transport_->is_open()) transport_->close();
}

const net::Endpoint& Session::endpoint() const { return transport_->endpoint(); }

std::size_t Session::in_flight() const {
  return static_cast<std::size_t>(
      std::count_if(in_flight_.begin(), in_flight_.end(), [](const auto& e) { return !e->completion; }));
}

bool Session::completed(const PendingCommand& pending) const {
  return std::any_of(in_flight_.begin(), in_flight_.end(),
                     [&](const auto& e) { return e->tag == pending.tag && e->completion.has_value(); });
}

Error Session::fail_session(Error error) {
  if (!broken_) {
    broken_ = error;
    log::debug(kLog, "session to {} closed after error: {}", transport_->endpoint().to_string(), error.to_string());
  }
  if (transport_->is_open()) transport_->close();
  return *broken_;
}

Status Session::check_usable() const {
  if (broken_) return fail(*broken_);
  return ok();
}

Status Session::write(std::string_view bytes, Deadline deadline) {
  if (auto st = transport_->write_all(bytes, deadline); !st) return fail(fail_session(st.error()));
  return ok();
}

Result<wire::Response> Session::read_response(Deadline deadline, std::string_view waiting_for) {
  EMAILV2_TRY(check_usable());
  for (;;) {
    if (buffer_pos_ < buffer_len_) {
      std::size_t used = 0;
      const wire::DecodeState state =
          decoder_.feed(std::string_view(buffer_.data() + buffer_pos_, buffer_len_ - buffer_pos_), used);
      buffer_pos_ += used;
      if (state == wire::DecodeState::kDone) return decoder_.take_response();
      if (state == wire::DecodeState::kError) return fail(fail_session(decoder_.error()));
    }
    auto n = transport_->read_some(std::span<char>(buffer_.data(), buffer_.size()), deadline, waiting_for);
    if (!n) return fail(fail_session(n.error()));
    if (*n == 0) {
      if (auto st = decoder_.finish(); !st && decoder_.mid_response()) return fail(fail_session(st.error()));
      const std::string why = bye_text_ ? ": " + text::server_text(*bye_text_) : std::string();
      return fail(fail_session(Error(ErrorCode::kImapBye, "connection closed by " +
                                                              transport_->endpoint().to_string() +
                                                              " while waiting for " + std::string(waiting_for) + why)));
    }
    buffer_pos_ = 0;
    buffer_len_ = *n;
  }
}

Session::InFlight* Session::find(const std::string& tag) {
  for (auto& e : in_flight_) {
    if (e->tag == tag) return e.get();
  }
  return nullptr;
}

Status Session::dispatch(wire::Response r) {
  using wire::ResponseKind;
  if (r.is_tagged()) {
    InFlight* e = find(r.status.tag);
    if (!e || e->completion) {
      return fail(fail_session(Error(ErrorCode::kProtocolError, "IMAP server completed an unknown command tag " +
                                                                    text::server_text(r.status.tag))));
    }
    log::trace(kLog, "S: {} {}", r.status.tag, text::server_text(r.status.text));
    e->completion = std::move(r.status);
    return ok();
  }
  if (r.kind == ResponseKind::kContinuation) {
    for (auto& e : in_flight_) {
      if (e->waiting_continuation && !e->completion) {
        e->continuation = std::move(r.continuation);
        e->waiting_continuation = false;
        return ok();
      }
    }
    return fail(fail_session(Error(ErrorCode::kProtocolError, "unexpected IMAP continuation request")));
  }
  if (r.is_untagged_bye()) {
    bye_text_ = r.status.text;
    if (!logging_out_) {
      return fail(fail_session(
          Error(ErrorCode::kImapBye, "IMAP server closed the session (BYE): " + text::server_text(r.status.text))));
    }
    return ok();
  }
  InFlight* oldest = nullptr;
  for (auto& e : in_flight_) {
    if (!e->completion) {
      oldest = e.get();
      break;
    }
  }
  if (oldest && ++oldest->untagged > options_.responses_per_command) {
    return fail(fail_session(Error(ErrorCode::kProtocolError, "more than " +
                                                                  std::to_string(options_.responses_per_command) +
                                                                  " responses to " + oldest->name)));
  }
  if (applies_to_mailbox(r)) mailbox_.apply(r);
  if (r.kind == ResponseKind::kCapability) capabilities_ = Capabilities(r.capabilities);
  for (auto& e : in_flight_) {
    if (!e->completion && e->handler && e->handler(r)) break;
  }
  return ok();
}

Status Session::pump(Deadline deadline, std::string_view waiting_for) {
  auto r = read_response(deadline, waiting_for);
  if (!r) return fail(r.error());
  return dispatch(std::move(*r));
}

Result<PendingCommand> Session::send(const wire::Command& command, UntaggedHandler handler, Deadline deadline) {
  EMAILV2_TRY(check_usable());
  const std::string waiting = "response to " + command.name;
  while (in_flight() >= std::max<std::size_t>(options_.pipeline_window, 1)) EMAILV2_TRY(pump(deadline, waiting));
  char tag_buf[16];
  std::snprintf(tag_buf, sizeof tag_buf, "A%03u", next_tag_++);
  auto entry = std::make_unique<InFlight>();
  entry->tag = tag_buf;
  entry->name = command.name;
  entry->handler = std::move(handler);
  InFlight& e = *entry;
  in_flight_.push_back(std::move(entry));
  log::trace(kLog, "C: {} {}", e.tag, command.trace);
  EMAILV2_TRY(write(e.tag + " " + command.segments.front(), deadline));
  for (std::size_t i = 1; i < command.segments.size(); ++i) {
    // Synchronising literal: nothing more is sent until the server says `+` (or rejects the command).
    e.waiting_continuation = true;
    while (e.waiting_continuation && !e.completion) EMAILV2_TRY(pump(deadline, waiting));
    e.waiting_continuation = false;
    if (e.completion) break;
    EMAILV2_TRY(write(command.segments[i], deadline));
  }
  return PendingCommand{e.tag, e.name};
}

Error command_error(std::string_view command_name, const wire::StatusResponse& status) {
  const bool no = status.condition == wire::Condition::kNo;
  return Error(no ? ErrorCode::kImapNo : ErrorCode::kImapBad, std::string("IMAP server replied ") +
                                                                  (no ? "NO" : "BAD") + " to " +
                                                                  std::string(command_name) + ": " +
                                                                  text::server_text(status.text));
}

Result<wire::StatusResponse> Session::finish(InFlight& e) {
  wire::StatusResponse status = std::move(*e.completion);
  in_flight_.erase(std::find_if(in_flight_.begin(), in_flight_.end(), [&](const auto& p) { return p.get() == &e; }));
  return status;
}

Result<wire::StatusResponse> Session::complete_any(const PendingCommand& pending, Deadline deadline) {
  EMAILV2_TRY(check_usable());
  InFlight* e = find(pending.tag);
  if (!e) return fail(ErrorCode::kInternal, "IMAP command " + pending.tag + " is not in flight");
  while (!e->completion) EMAILV2_TRY(pump(deadline, "response to " + pending.name));
  return finish(*e);
}

Result<wire::StatusResponse> Session::complete(const PendingCommand& pending, Deadline deadline) {
  auto status = complete_any(pending, deadline);
  if (!status) return status;
  if (status->condition != wire::Condition::kOk) return fail(command_error(pending.name, *status));
  return status;
}

Result<wire::StatusResponse> Session::run(const wire::Command& command, UntaggedHandler handler, Deadline deadline) {
  auto pending = send(command, std::move(handler), deadline);
  if (!pending) return fail(pending.error());
  return complete(*pending, deadline);
}

Result<std::optional<std::string>> Session::wait_continuation(const PendingCommand& pending, Deadline deadline) {
  EMAILV2_TRY(check_usable());
  InFlight* e = find(pending.tag);
  if (!e) return fail(ErrorCode::kInternal, "IMAP command " + pending.tag + " is not in flight");
  e->waiting_continuation = true;
  e->continuation.reset();
  while (e->waiting_continuation && !e->completion) EMAILV2_TRY(pump(deadline, "response to " + pending.name));
  e->waiting_continuation = false;
  if (e->completion) return std::optional<std::string>();
  return std::move(e->continuation);
}

Status Session::write_raw(std::string_view bytes, std::string_view trace, Deadline deadline) {
  EMAILV2_TRY(check_usable());
  log::trace(kLog, "C: {}", trace);
  return write(bytes, deadline);
}

Result<bool> Session::wait_readable(Deadline until) {
  EMAILV2_TRY(check_usable());
  if (buffer_pos_ < buffer_len_) return true;
  auto ready = transport_->wait_readable(until);
  if (!ready) return fail(fail_session(ready.error()));
  return ready;
}

Status Session::read_next(Deadline deadline, std::string_view waiting_for) { return pump(deadline, waiting_for); }

Status Session::noop(Deadline deadline) {
  auto command = wire::CommandBuilder("NOOP").build();
  if (!command) return fail(command.error());
  auto r = run(*command, {}, deadline);
  if (!r) return fail(r.error());
  return ok();
}

Status Session::logout(Deadline deadline) {
  if (broken_) return fail(*broken_);
  logging_out_ = true;
  auto command = wire::CommandBuilder("LOGOUT").build();
  auto r = run(*command, {}, deadline);
  if (transport_->is_open()) transport_->close();
  if (!r && r.error().code() == ErrorCode::kImapBye && bye_text_) {
    broken_ = Error(ErrorCode::kImapBye, "logged out");
    return ok();  // BYE then EOF before the tagged OK: the server is done with us, which is what we asked.
  }
  broken_ = Error(ErrorCode::kImapBye, "logged out");
  if (!r) return fail(r.error());
  return ok();
}

}  // namespace emailv2::imap
