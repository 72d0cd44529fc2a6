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

}  // namespace

Result<SendReceipt> Session::State::send(const Envelope& envelope, MessageSource& message, Deadline caller) {
  if (!open) return fail(closed_error());
  EMAILV2_TRY(check_envelope(envelope));
  const std::uint64_t size = message.size();
  EMAILV2_TRY(check_size(size, max_message_bytes, extensions, endpoint));
  const bool smtputf8 = needs_smtputf8(envelope);
  if (smtputf8 && !extensions.smtputf8()) {
    return fail(ErrorCode::kSmtputf8Unsupported,
                endpoint + " does not offer SMTPUTF8, which this message needs (non-ASCII address or header)");
  }
  const auto recipients = unique_recipients(envelope.recipients);
  const auto steps = envelope_steps(envelope, recipients, extensions, size, smtputf8);

  // With PIPELINING, MAIL FROM and every RCPT TO go out in one write; DATA waits for their replies, so a rejected
  // recipient never leaves a message half-delivered.
  if (extensions.pipelining()) {
    std::string batch;
    for (const auto& s : steps) {
      log::trace(kLog, "C: {}", s.line);
      batch.append(s.line).append("\r\n");
    }
    auto written = transport->write_all(batch, step(caller, operation_timeout));
    if (!written) return tl::unexpected(fail_closed(written.error()).error());
  }
  std::optional<std::pair<std::string, Reply>> first_rejection;
  for (const auto& s : steps) {
    if (!extensions.pipelining()) EMAILV2_TRY(write_line(s.line, caller));
    auto reply = read_reply("response to " + s.command, caller);
    if (!reply) return tl::unexpected(reply.error());
    if (!reply->is_positive() && !first_rejection) first_rejection.emplace(s.name, std::move(*reply));
    if (first_rejection && !extensions.pipelining()) break;
  }
  if (first_rejection) return reject(first_rejection->first, first_rejection->second, caller);

  auto go = command("DATA", "DATA", caller);
  if (!go) return tl::unexpected(go.error());
  if (go->code != 354) return reject("DATA", *go, caller);

  DataEncoder encoder;
  std::array<char, kDataChunk> chunk{};
  std::string out;
  for (;;) {
    auto n = message.read(chunk);
    if (!n) return tl::unexpected(fail_closed(n.error()).error());  // no final dot: the server drops the message
    if (*n == 0) break;
    encoder.encode(std::string_view(chunk.data(), *n), out);
    if (out.size() >= kDataChunk) {
      auto written = transport->write_all(out, step(caller, operation_timeout));
      if (!written) return tl::unexpected(fail_closed(written.error()).error());
      out.clear();
    }
  }
  encoder.finish(out);
  log::trace(kLog, "C: <message, {} bytes>", size);
  log::trace(kLog, "C: .");
  auto written = transport->write_all(out, step(caller, operation_timeout));
  if (!written) return tl::unexpected(fail_closed(written.error()).error());

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
