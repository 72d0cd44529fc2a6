#pragma once
// An SMTP client session on a net::Transport (CONTRACT §2.1 "SMTP session", §3.0 "Envelope", §6).
//
//   auto session = smtp::Session::connect(options, deadline);   // greeted, TLS, EHLO'd, authenticated
//   if (!session) return fail(session.error());
//   EMAILV2_TRY(session->noop(deadline));                        // Ping
//   auto receipt = session->send(envelope, message_bytes, deadline);
//   session->quit(deadline);
//
// Contract:
//  * connect(): net::connect (implicit TLS when tls_mode == kImplicit), then start(). start() on an already
//    connected transport (tests, or a caller that owns the transport) does the rest:
//      - greeting: a 220 reply, else CONNECT_FAILED "Cannot connect to <h>:<p>: server greeting was <code> <text>".
//      - `EHLO <ehlo_domain>` (the domain of the Sender's Address, never the local host name); `HELO` only after a
//        5xx to EHLO (then no extensions). Any other failure → CONNECT_FAILED quoting the reply.
//      - kStartTlsRequired on plaintext: STARTTLS not announced, refused, or bytes pipelined after its 220 →
//        TLS_REQUIRED "<h>:<p> does not offer STARTTLS; refusing to send credentials in clear text" (zero credential
//        bytes written); after the handshake EHLO is sent again and extensions() replaced.
//        kOff: plaintext, logged at warn.
//      - use_auth: auth_method kXoauth2 → AUTH XOAUTH2 (token); kPassword → AUTH PLAIN, else AUTH LOGIN. The
//        mechanism must be announced; none usable → AUTH_FAILED "SMTP server <h>:<p> offers no usable AUTH mechanism
//        ...". Rejection → AUTH_FAILED "SMTP server rejected AUTH: <code> <text>". Every SASL payload is registered
//        with redactor::add_encoded() before it is written; the trace shows `AUTH PLAIN <redacted>`.
//  * send(): checks the envelope first (PARAM_INVALID for CR/LF/NUL, `<`/`>`, bad addr-spec, no recipient — nothing
//    is sent), the size (SIZE_LIMIT when larger than max_message_bytes or the server's SIZE, before MAIL FROM), and
//    SMTPUTF8 (SMTPUTF8_UNSUPPORTED when needed but not announced, before MAIL FROM). Then `MAIL FROM:<sender>`
//    (+ ` SIZE=<n>` when SIZE is announced, + ` BODY=8BITMIME` when the envelope says so and 8BITMIME is announced,
//    + ` SMTPUTF8` when needed), one `RCPT TO:<addr>` per unique
//    (case-insensitive) recipient (pipelined with MAIL FROM when PIPELINING is announced; DATA never is), `DATA`,
//    the message streamed through DataEncoder, and the reply to the final dot, waited for max(operation_timeout,
//    300 s). Any rejection → `RSET`, `QUIT`, the session is closed, and SMTP_REJECTED
//    "<step> rejected: <code> <text>" with step = `MAIL FROM` / `RCPT TO <addr>` / `DATA`. A successful send leaves
//    the session ready for the next send().
//  * Errors from the transport (TIMEOUT, TLS_FAILED, ...) are returned as they come, except that a TIMEOUT of one
//    step names that step: "Timed out after <n> s waiting for response to <COMMAND> from <h>:<p>". A connection
//    closed by the server mid-reply → PROTOCOL_ERROR. A malformed or oversized reply (512 lines / 64 KiB) →
//    PROTOCOL_ERROR. After any error other than PARAM_INVALID/SIZE_LIMIT/SMTPUTF8_UNSUPPORTED (which send nothing)
//    the session is closed and every later call fails with PROTOCOL_ERROR "SMTP session is closed".
//  * Trace log (component "smtp"): `C: <command>` / `S: <reply line>`, AUTH payloads as `<redacted>`; the message
//    body only as `C: <message, N bytes>` (the body itself is never logged).
//  * Timeouts: the transport is opened with operation_timeout = max(operation_timeout, 300 s); the session enforces
//    operation_timeout per step through the deadlines it passes. Every wait is also bounded by the caller's deadline.
//  * The destructor of a session still open sends QUIT (bounded by 5 s) and closes. A Session is used by one thread at
//    a time; it is movable, not copyable.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/deadline.h"
#include "core/result.h"
#include "core/secret.h"
#include "net/server_options.h"
#include "net/transport.h"
#include "smtp/envelope.h"
#include "smtp/extensions.h"
#include "smtp/message_source.h"
#include "smtp/reply.h"

namespace emailv2::smtp {

enum class TlsMode {
  kImplicit,          // SMTPS: TLS from the first byte ("SMTP – Use SSL" = true)
  kStartTlsRequired,  // plaintext, then STARTTLS that must succeed before anything else ("SMTP STARTTLS" = required)
  kOff,               // plaintext all the way ("SMTP STARTTLS" = off); logged at warn
};

enum class AuthMethod { kPassword, kXoauth2 };

// endpoint, tls, proxy, connect_timeout, operation_timeout: net::ServerOptions (shared with IMAP).
struct SessionOptions : net::ServerOptions {
  TlsMode tls_mode = TlsMode::kImplicit;
  std::string ehlo_domain;  // the domain of the Sender's Address; required (PARAM_INVALID when empty or unsafe)
  bool use_auth = true;
  AuthMethod auth_method = AuthMethod::kPassword;
  std::string username;
  Secret password;                                        // kPassword
  Secret oauth2_token;                                    // kXoauth2 (re-read by the caller at every connection)
  std::uint64_t max_message_bytes = 50ULL * 1024 * 1024;  // the integration's Max Message Size
};

struct SendReceipt {
  std::size_t recipients = 0;  // unique RCPT TO accepted
  Reply final_reply;           // the server's reply to the final dot, e.g. "250 2.0.0 Ok: queued as 4Xyz"
};

class Session {
 public:
  static Result<Session> connect(const SessionOptions& options, Deadline deadline);
  static Result<Session> start(std::unique_ptr<net::Transport> transport, const SessionOptions& options,
                               Deadline deadline);

  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  const Extensions& extensions() const;
  bool is_tls() const;
  bool is_open() const;
  const std::string& auth_mechanism() const;  // the mechanism used ("PLAIN", "LOGIN", "XOAUTH2"), empty without AUTH

  Status noop(Deadline deadline);
  Result<SendReceipt> send(const Envelope& envelope, std::string_view message, Deadline deadline);
  Result<SendReceipt> send(const Envelope& envelope, MessageSource& message, Deadline deadline);
  // Sends QUIT, waits for its reply (errors ignored) and closes. Safe to call more than once.
  void quit(Deadline deadline);

  struct State;  // the implementation (session_state.h)

 private:
  explicit Session(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace emailv2::smtp
