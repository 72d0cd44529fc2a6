#pragma once
// The shared tail of Send Email, Forward Email and Send Thread Reply (CONTRACT §3.0): build the outgoing message,
// deliver it over one SMTP session, record it as a `sent_message` for Wait, and shape the JSON result.
//
// Order and guarantees:
//  * build_outgoing(): mime::build_message with the run's clock. PARAM_INVALID (CR/LF/NUL in a header-bound value)
//    and SIZE_LIMIT (the built message is larger than Max Message Size) come back here, before any connection.
//  * deliver(): connect (greeting, STARTTLS/TLS, EHLO with the sender's domain, AUTH), one transaction
//    (MAIL FROM, one RCPT TO per unique address of To ∪ Cc ∪ Bcc, DATA), QUIT. Any rejection → the session sends
//    RSET + QUIT and the error is SMTP_REJECTED "<step> rejected: <code> <text>"; nothing is half-delivered.
//    Every other error of smtp::Session passes through unchanged (TLS_REQUIRED, AUTH_FAILED, TIMEOUT, ...).
//  * record_sent_message(): writes the sent_message row (creating the store file when missing). A failure is
//    logged at warn and swallowed: the mail was sent, so the action still succeeds (§3.0 "Sent messages").
//
// SmtpConnector is the seam for tests: production uses smtp_connector(config) (Session::connect with the session
// options read right now, so a rotated token file is honoured); unit tests hand in a session over a FakeTransport.

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actions/action_context.h"
#include "core/clock.h"
#include "core/deadline.h"
#include "core/result.h"
#include "mail/integration_config.h"
#include "mail/mail_store.h"
#include "mime/build_message.h"
#include "smtp/session.h"

namespace emailv2::actions {

using SmtpConnector = std::function<Result<smtp::Session>(Deadline deadline)>;
using MailStoreFactory = std::function<std::shared_ptr<mail::MailStore>()>;

// What the sending actions reach the outside world through. real() wires the configured servers.
struct SendingServices {
  SmtpConnector connect_smtp;
  MailStoreFactory open_mail_store;  // Forward and Thread Reply only

  static SendingServices real(const mail::IntegrationConfig& config);
};

SmtpConnector smtp_connector(const mail::IntegrationConfig& config);

// Builds the message; SIZE_LIMIT "outgoing message is <n> bytes, larger than Max Message Size (<m> MiB)" when
// `max_bytes` is exceeded.
Result<mime::BuiltMessage> build_outgoing(const mime::OutgoingMail& mail, const Clock& clock, std::uint64_t max_bytes);

// One SMTP session: connect, send, QUIT. Returns the server's receipt.
Result<smtp::SendReceipt> deliver(const mime::BuiltMessage& message, const std::string& sender,
                                  const SmtpConnector& connect, Deadline deadline);

// The sent_message row for Wait; never fails the action (see above).
void record_sent_message(const std::string& store_path, const mime::OutgoingMail& mail,
                         const mime::BuiltMessage& message, std::string_view action,
                         std::optional<std::int64_t> case_id);

// build_outgoing + deliver + record_sent_message, for an action run.
Result<mime::BuiltMessage> send_and_record(const ActionContext& ctx, const mime::OutgoingMail& mail,
                                           std::string_view action, const SmtpConnector& connect);

// A transport TIMEOUT once the run's --timeout has passed is reported as DEADLINE ("the run's --timeout was reached:
// <detail>"); every other error is returned unchanged (docs/decisions.md "TIMEOUT vs DEADLINE").
Error sending_error(const Error& error, Deadline run_deadline);

// Addresses joined with "," (the JSON `recipients` value).
std::string join_addresses(const std::vector<std::string>& addresses);

// {"message_id": "<id>", "date": "<RFC 3339 UTC of the Date header>", "recipients": "a@x,b@y"} (§3.2).
nlohmann::ordered_json sent_json(const mime::BuiltMessage& message, const std::vector<std::string>& to);

}  // namespace emailv2::actions
