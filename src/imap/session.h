#pragma once
// One authenticated IMAP connection (CONTRACT §2.1, issue 3).
//
// Contract:
//  * Session::connect() opens the transport (implicit TLS, or plaintext + STARTTLS when tls_mode says so), reads the
//    greeting, fetches CAPABILITY, upgrades with STARTTLS (capabilities fetched again after TLS) and authenticates.
//    The returned session is ready for commands; it owns its transport.
//      - greeting `* BYE` -> CONNECT_FAILED; `* PREAUTH` on plaintext with STARTTLS required -> TLS_REQUIRED.
//      - STARTTLS required but not advertised or refused -> TLS_REQUIRED ("<host>:<port> does not offer STARTTLS;
//        refusing to send credentials in clear text"); bytes after the tagged OK and before the handshake ->
//        TLS_REQUIRED. In both cases not one credential byte is written.
//      - auth: xoauth2 -> AUTHENTICATE XOAUTH2 (OAUTHBEARER when only that is advertised), SASL-IR when advertised;
//        password -> AUTHENTICATE PLAIN when AUTH=PLAIN is advertised, else LOGIN. Rejected -> AUTH_FAILED
//        ("IMAP server rejected <LOGIN|AUTHENTICATE>: <server text>"); LOGINDISABLED and no usable mechanism ->
//        AUTH_FAILED. SASL payloads are registered with the log redactor before they are sent.
//  * Command errors: tagged NO -> IMAP_NO, BAD -> IMAP_BAD ("IMAP server replied <NO|BAD> to <COMMAND>: <text>",
//    command name only), untagged BYE or EOF while a command waits -> IMAP_BYE, malformed or oversized response ->
//    PROTOCOL_ERROR, no reply in time -> TIMEOUT. After any error other than IMAP_NO/IMAP_BAD the session is broken:
//    usable() turns false, the transport is closed and every later call fails with the same error.
//  * A Session is used by one thread at a time. It never retries by itself.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/deadline.h"
#include "core/limits.h"
#include "core/result.h"
#include "core/secret.h"
#include "imap/capabilities.h"
#include "imap/mailbox_state.h"
#include "imap/wire/command.h"
#include "imap/wire/decoder.h"
#include "imap/wire/response.h"
#include "net/server_options.h"
#include "net/transport.h"

namespace emailv2::imap {

enum class TlsMode {
  kImplicit,          // IMAPS (993): TLS from the first byte
  kStartTlsRequired,  // plaintext connect, STARTTLS must succeed before any credential
  kStartTlsOff,       // plaintext all the way (logged at warn)
};

enum class AuthMethod { kPassword, kXoauth2 };

// endpoint, tls, proxy, connect_timeout, operation_timeout: net::ServerOptions (shared with SMTP).
struct SessionOptions : net::ServerOptions {
  TlsMode tls_mode = TlsMode::kImplicit;

  std::string username;
  AuthMethod auth_method = AuthMethod::kPassword;
  Secret password;     // used when auth_method == kPassword
  Secret oauth_token;  // used when auth_method == kXoauth2 (re-read by the caller at every connection)

  // Literal cap = max_message_bytes + limits::kImapLiteralSlackBytes (checked before any allocation).
  std::uint64_t max_message_bytes = limits::kDefaultMaxMessageMiB * limits::kMiB;
  std::size_t pipeline_window = limits::kImapPipelineWindow;
  std::size_t responses_per_command = limits::kImapResponsesPerCommand;
};

// Receives each untagged response that arrives while a command is in flight. Returning true consumes it (it is
// not offered to later in-flight commands); mailbox-state responses (EXISTS, EXPUNGE, VANISHED, FLAGS, RECENT and
// status codes) are applied to mailbox() whatever the handler returns. The response (and its literals) is only
// valid during the call.
using UntaggedHandler = std::function<bool(const wire::Response&)>;

// Identifies a command that has been sent and not yet completed.
struct PendingCommand {
  std::string tag;
  std::string name;  // command name for error texts, e.g. "UID FETCH"
};

// IMAP_NO / IMAP_BAD for a tagged NO / BAD: "IMAP server replied <NO|BAD> to <COMMAND>: <text>".
Error command_error(std::string_view command_name, const wire::StatusResponse& status);

class Session {
 public:
  // Connects, greets, (STARTTLS), CAPABILITY, authenticates. See the contract above.
  static Result<std::unique_ptr<Session>> connect(const SessionOptions& options, Deadline deadline);
  // The same over an already connected transport (tests inject a FakeTransport or a scripted server).
  static Result<std::unique_ptr<Session>> open(std::unique_ptr<net::Transport> transport,
                                               const SessionOptions& options, Deadline deadline);

  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const Capabilities& capabilities() const { return capabilities_; }
  bool usable() const { return !broken_.has_value(); }
  // Set once the server answered IDLE with NO or BAD: later waits on this session poll with NOOP instead of asking
  // again (commands::wait_for_new_mail).
  bool idle_refused() const { return idle_refused_; }
  void note_idle_refused() { idle_refused_ = true; }
  const net::Endpoint& endpoint() const;

  Status noop(Deadline deadline);
  // Sends LOGOUT and closes the transport. A BYE before the tagged OK is expected; errors are returned but the
  // session is closed either way.
  Status logout(Deadline deadline);

  // ---- Used by imap/commands/*: pipelined command execution. ----
  // Sends a command once the in-flight window has room (waiting for `+` before each synchronising literal; nothing
  // else is sent meanwhile) and returns without waiting for its completion. `handler` may be empty.
  Result<PendingCommand> send(const wire::Command& command, UntaggedHandler handler, Deadline deadline);
  // Reads responses until the tagged completion of `pending` arrives. OK -> the status response; NO/BAD -> IMAP_NO /
  // IMAP_BAD (the session stays usable); anything else breaks the session.
  Result<wire::StatusResponse> complete(const PendingCommand& pending, Deadline deadline);
  // Like complete(), but a tagged NO or BAD is returned as a value (for commands that read its response code,
  // e.g. [BADCHARSET], [TRYCREATE]); only session-breaking failures are errors.
  Result<wire::StatusResponse> complete_any(const PendingCommand& pending, Deadline deadline);
  // send() + complete().
  Result<wire::StatusResponse> run(const wire::Command& command, UntaggedHandler handler, Deadline deadline);
  // Number of commands sent and not yet completed by the server.
  std::size_t in_flight() const;
  // True once the server's tagged completion of `pending` has been read (complete() then returns at once).
  bool completed(const PendingCommand& pending) const;

  // For continuation-driven exchanges (AUTHENTICATE, IDLE): reads until the server sends `+` (returns its text) or
  // completes `pending` (returns nullopt; complete() then gives the result).
  Result<std::optional<std::string>> wait_continuation(const PendingCommand& pending, Deadline deadline);
  // Writes raw bytes (a SASL response line, "DONE\r\n"). `trace` is what the trace log shows instead of them.
  Status write_raw(std::string_view bytes, std::string_view trace, Deadline deadline);
  // For IDLE: true when a response can be read without waiting for the server (bytes already buffered, or the
  // transport has input or EOF pending), false when `until` passes first — the session stays usable then.
  // Transport errors break the session.
  Result<bool> wait_readable(Deadline until);
  // Reads one response and dispatches it (mailbox state, handlers, BYE, completions) like complete() does.
  Status read_next(Deadline deadline, std::string_view waiting_for);

  // Where FETCH body literals (BODY[...], BINARY[...], RFC822*) go as they arrive. nullptr: kept in memory inside
  // the response (bounded by the literal cap). The sink must outlive the commands that use it.
  void set_body_sink(wire::BodySink* sink) { decoder_.set_body_sink(sink); }

  MailboxState& mailbox() { return mailbox_; }
  const SessionOptions& options() const { return options_; }
  void set_capabilities(std::vector<std::string> items) { capabilities_ = Capabilities(std::move(items)); }
  // Marks the session broken with `error` (closes the transport) and returns the error, for command code.
  Error fail_session(Error error);
  // The next response from the server (greeting, CAPABILITY exchange), dispatched like any other.
  Result<wire::Response> read_response(Deadline deadline, std::string_view waiting_for);
  net::Transport& transport() { return *transport_; }
  // True when bytes that the decoder has not consumed are buffered (STARTTLS injection check).
  bool has_buffered_input() const { return buffer_pos_ < buffer_len_ || decoder_.mid_response(); }

 private:
  struct InFlight {
    std::string tag;
    std::string name;
    UntaggedHandler handler;
    std::size_t untagged = 0;
    std::optional<wire::StatusResponse> completion;
    bool waiting_continuation = false;
    std::optional<std::string> continuation;
  };

  Session(std::unique_ptr<net::Transport> transport, const SessionOptions& options);
  Status connect_flow(Deadline deadline);
  Status pump(Deadline deadline, std::string_view waiting_for);
  Status dispatch(wire::Response response);
  InFlight* find(const std::string& tag);
  Status check_usable() const;
  Status write(std::string_view bytes, Deadline deadline);
  Result<wire::StatusResponse> finish(InFlight& entry);

  std::unique_ptr<net::Transport> transport_;
  SessionOptions options_;
  Capabilities capabilities_;
  bool idle_refused_ = false;
  MailboxState mailbox_;
  wire::Decoder decoder_;
  std::vector<char> buffer_;
  std::size_t buffer_pos_ = 0;
  std::size_t buffer_len_ = 0;
  std::uint32_t next_tag_ = 1;
  std::vector<std::unique_ptr<InFlight>> in_flight_;
  std::optional<Error> broken_;
  bool logging_out_ = false;
  std::optional<std::string> bye_text_;
};

}  // namespace emailv2::imap
