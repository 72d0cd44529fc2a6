#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "core/limits.h"
#include "core/log.h"
#include "smtp/data_encoder.h"
#include "smtp/session_state.h"

namespace emailv2::smtp {
namespace {

constexpr std::string_view kLog = "smtp";
constexpr std::size_t kDataChunk = 64 * 1024;

struct Step {
  std::string line;     // the command
  std::string name;     // the step in SMTP_REJECTED: "MAIL FROM", "RCPT TO <addr>"
  std::string command;  // the command in TIMEOUT texts: "MAIL FROM", "RCPT TO"
};

std::vector<Step> envelope_steps(const Envelope& envelope, const std::vector<std::string>& recipients,
                                 const Extensions& extensions, std::uint64_t size, bool smtputf8) {
  std::string mail = "MAIL FROM:<" + envelope.sender + ">";
  if (extensions.size()) mail += " SIZE=" + std::to_string(size);
  if (envelope.body_8bitmime && extensions.eight_bit_mime()) mail += " BODY=8BITMIME";
  if (smtputf8) mail += " SMTPUTF8";
  std::vector<Step> steps{{mail, "MAIL FROM", "MAIL FROM"}};
  for (const auto& r : recipients) steps.push_back({"RCPT TO:<" + r + ">", "RCPT TO " + r, "RCPT TO"});
  return steps;
}

Status check_size(std::uint64_t size, std::uint64_t max_bytes, const Extensions& extensions,
                  const std::string& endpoint) {
  if (max_bytes > 0 && size > max_bytes) {
    return fail(ErrorCode::kSizeLimit, "The message of " + std::to_string(size) + " bytes exceeds Max Message Size (" +
                                           std::to_string(max_bytes) + " bytes)");
  }
  const auto server_max = extensions.size().value_or(0);
  if (server_max > 0 && size > server_max) {
    return fail(ErrorCode::kSizeLimit, "The message of " + std::to_string(size) + " bytes exceeds the SIZE limit of " +
                                           std::to_string(server_max) + " bytes announced by " + endpoint);
  }
  return ok();
}

Status check_before_sending(const Session::State& st, const Envelope& envelope, std::uint64_t size) {
  EMAILV2_TRY(check_envelope(envelope));
  EMAILV2_TRY(check_size(size, st.max_message_bytes, st.extensions, st.endpoint));
  if (needs_smtputf8(envelope) && !st.extensions.smtputf8()) {
    return fail(ErrorCode::kSmtputf8Unsupported,
                st.endpoint + " does not offer SMTPUTF8, which this message needs (non-ASCII address or header)");
  }
  return ok();
}

struct Rejection {
  std::string step;
  Reply reply;
};

// Sends MAIL FROM and the RCPT TOs and reads their replies; returns the first refusal, if any. With PIPELINING all
// commands go out in one write and every reply is read; DATA is never part of the batch, so a refused recipient
// never leaves a message half-delivered.
Result<std::optional<Rejection>> run_envelope(Session::State& st, const std::vector<Step>& steps, Deadline caller) {
  const bool pipelining = st.extensions.pipelining();
  if (pipelining) {
    std::string batch;
    for (const auto& s : steps) {
      log::trace(kLog, "C: {}", s.line);
      batch.append(s.line).append("\r\n");
    }
    auto written = st.transport->write_all(batch, st.step(caller, st.operation_timeout));
    if (!written) return tl::unexpected(st.fail_closed(written.error()).error());
  }
  std::optional<Rejection> first;
  for (const auto& s : steps) {
    if (!pipelining) EMAILV2_TRY(st.write_line(s.line, caller));
    auto reply = st.read_reply("response to " + s.command, caller);
    if (!reply) return tl::unexpected(reply.error());
    if (!reply->is_positive() && !first) first = Rejection{s.name, std::move(*reply)};
    if (first && !pipelining) break;
  }
  return first;
}

// Streams the message through the DATA encoder, terminator included. On an error the session is closed without the
// final dot, so the server drops the partial message.
Status stream_message(Session::State& st, MessageSource& message, Deadline caller) {
  DataEncoder encoder;
  std::array<char, kDataChunk> chunk{};
  std::string out;
  for (;;) {
    auto n = message.read(chunk);
    if (!n) return st.fail_closed(n.error());
    if (*n == 0) break;
    encoder.encode(std::string_view(chunk.data(), *n), out);
    if (out.size() >= kDataChunk) {
      auto written = st.transport->write_all(out, st.step(caller, st.operation_timeout));
      if (!written) return st.fail_closed(written.error());
      out.clear();
    }
  }
  encoder.finish(out);
  log::trace(kLog, "C: <message, {} bytes>", message.size());
  log::trace(kLog, "C: .");
  auto written = st.transport->write_all(out, st.step(caller, st.operation_timeout));
  if (!written) return st.fail_closed(written.error());
  return ok();
}

}  // namespace

Result<SendReceipt> Session::State::send(const Envelope& envelope, MessageSource& message, Deadline caller) {
  if (!open) return fail(closed_error());
  const std::uint64_t size = message.size();
  EMAILV2_TRY(check_before_sending(*this, envelope, size));
  const auto recipients = unique_recipients(envelope.recipients);
  auto refused =
      run_envelope(*this, envelope_steps(envelope, recipients, extensions, size, needs_smtputf8(envelope)), caller);
  if (!refused) return tl::unexpected(refused.error());
  if (*refused) return reject((*refused)->step, (*refused)->reply, caller);

  auto go = command("DATA", "DATA", caller);
  if (!go) return tl::unexpected(go.error());
  if (go->code != 354) return reject("DATA", *go, caller);
  EMAILV2_TRY(stream_message(*this, message, caller));

  const auto final_wait = std::max<std::chrono::milliseconds>(operation_timeout, limits::kSmtpFinalDotMinWait);
  auto done = read_reply("response to DATA", caller, final_wait);
  if (!done) return tl::unexpected(done.error());
  if (!done->is_positive()) return reject("DATA", *done, caller);
  log::debug(kLog, "message accepted by {} for {} recipient(s): {}", endpoint, recipients.size(), done->summary());
  return SendReceipt{recipients.size(), std::move(*done)};
}

// Nothing may stay half-delivered: RSET, QUIT, close, and report the step the server refused.
Result<SendReceipt> Session::State::reject(std::string_view step_name, const Reply& reply, Deadline caller) {
  if (write_line("RSET", caller)) (void)read_reply("response to RSET", caller);
  quit(caller);
  return fail(ErrorCode::kSmtpRejected, std::string(step_name) + " rejected: " + reply.summary());
}

Status Session::State::noop(Deadline caller) {
  auto reply = command("NOOP", "NOOP", caller);
  if (!reply) return tl::unexpected(reply.error());
  if (!reply->is_positive()) {
    return fail(ErrorCode::kProtocolError, "SMTP server " + endpoint + " replied " + reply->summary() + " to NOOP");
  }
  return ok();
}

void Session::State::quit(Deadline caller) {
  if (!open) return;
  if (write_line("QUIT", caller)) (void)read_reply("response to QUIT", caller);
  close();
}

}  // namespace emailv2::smtp
