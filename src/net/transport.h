#pragma once
// The only socket/TLS/proxy code of emailv2. IMAP and SMTP both talk through a Transport, so TLS, proxy, timeout
// and error policy are one (CONTRACT §2.1).
//
// Contract:
//  * connect() resolves, connects (through the proxy when one is configured: the tunnel is set up before TLS, and
//    TLS runs end to end through it), and for implicit TLS completes the handshake, all within connect_timeout and
//    the caller's deadline. Errors: DNS_FAILED, CONNECT_FAILED, PROXY_FAILED, TLS_FAILED, TIMEOUT.
//  * TLS: >= 1.2, SNI, chain checked against the system store or ca_file, host name checked against the SAN.
//    A SHA-256 pin of the leaf (DER) accepts a certificate whose chain check fails. verify=false skips both checks and
//    logs a warn on every connection.
//  * read_some/write_all wait at most min(operation_timeout, deadline); on expiry they return TIMEOUT and the
//    transport is closed: a Transport is never reused after any error.
//  * start_tls() upgrades a plaintext connection (STARTTLS). When the server has already sent bytes that nobody
//    has read (possible injection across STARTTLS) it fails with TLS_REQUIRED and sends nothing.
//  * A Transport is used by one thread at a time.
//  * End of stream: read_some returns 0 on an orderly end (TCP FIN on plaintext, close_notify on TLS). A TLS stream
//    that ends without close_notify is CONNECT_FAILED "... connection closed by <h>:<p> without TLS close_notify";
//    a write to a peer that left is CONNECT_FAILED "... connection closed by <h>:<p>". Any call after an error or
//    close() is CONNECT_FAILED "... the connection is closed". close() is idempotent and never throws.
//  * TIMEOUT texts: "Timed out after <n> s waiting for <what> from <h>:<p>", <n> = the binding limit (operation or
//    connect timeout, or what was left of the caller's deadline) in whole seconds rounded up. The transport says
//    TIMEOUT even when the caller's deadline was binding; callers that report DEADLINE check deadline.expired().
//  * SIGPIPE never fires: every send uses MSG_NOSIGNAL (TLS included), so no process-wide init is needed.
//  * Logs: connection steps at trace under the `protocol` component; never payload bytes.
// Details, error table and proxy behaviour: docs/transport.md.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/deadline.h"
#include "core/result.h"
#include "core/secret.h"

namespace emailv2::net {

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string to_string() const { return host + ":" + std::to_string(port); }
};

enum class ProxyScheme { kNone, kHttpConnect, kSocks5, kSocks5h };

struct ProxyConfig {
  ProxyScheme scheme = ProxyScheme::kNone;
  Endpoint endpoint;
  std::string username;
  Secret password;
};

// Parses "http://[user[:pass]@]host[:port]", "socks5://...", "socks5h://...", or a bare "host[:port]" (HTTP CONNECT).
// Default ports: 8080 (http), 1080 (socks5/socks5h). User and password may be percent-encoded; IPv6 hosts go in
// brackets. Empty (or blank) text = no proxy (scheme kNone). Errors: CONFIG_INVALID (never echoing credentials).
Result<ProxyConfig> parse_proxy(std::string_view text);

struct TlsConfig {
  bool verify = true;
  std::string ca_file;             // PEM bundle; empty = the system store
  std::string pinned_sha256_hex;   // SHA-256 of the server's DER leaf certificate (64 hex digits, ':' allowed);
                                   // empty = no pin. Always enforced when set, even with verify = false.
  std::string server_name;         // SNI + name to verify; empty = the endpoint host
};

struct ConnectOptions {
  Endpoint endpoint;
  bool implicit_tls = false;
  TlsConfig tls;
  ProxyConfig proxy;
  std::chrono::milliseconds connect_timeout{30'000};
  std::chrono::milliseconds operation_timeout{60'000};
  std::string protocol = "tcp";  // "imap" / "smtp": names the component in logs
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Reads 1..buffer.size() bytes; returns 0 on orderly EOF. `waiting_for` names what the caller waits for, for the
  // TIMEOUT text ("Timed out after <n> s waiting for <waiting_for> from <h>:<p>").
  virtual Result<std::size_t> read_some(std::span<char> buffer, Deadline deadline,
                                        std::string_view waiting_for = "data") = 0;
  virtual Status write_all(std::string_view bytes, Deadline deadline) = 0;
  // Waits, without reading, until read_some would not block: true when bytes (or the end of the stream) are ready,
  // false when `until` passes first. Reaching `until` is NOT an error: the connection stays open and usable (unlike
  // read timeouts), which is what IMAP IDLE needs. operation_timeout does not apply: the caller's `until` alone
  // bounds the wait. TLS: decrypted bytes already buffered count; records without application data (TLS 1.3
  // session tickets, key updates) are processed and do not end the wait. An `until` already past still reports
  // bytes that are ready now. Errors (the transport is closed): CONNECT_FAILED (closed before, poll failure).
  virtual Result<bool> wait_readable(Deadline until) = 0;
  virtual Status start_tls(Deadline deadline) = 0;
  virtual bool is_tls() const = 0;
  virtual bool is_open() const = 0;
  virtual void close() = 0;
  virtual const Endpoint& endpoint() const = 0;
  virtual std::chrono::milliseconds operation_timeout() const = 0;
  // Bytes written so far, counting plaintext bytes written before any TLS (tests check no credential byte went out
  // in clear).
  virtual std::uint64_t bytes_written() const = 0;
};

// Errors: DNS_FAILED, CONNECT_FAILED, PROXY_FAILED, TLS_FAILED, TIMEOUT, CONFIG_INVALID (no host/port, unreadable
// CA file, malformed pin or over-long SOCKS5 fields).
Result<std::unique_ptr<Transport>> connect(const ConnectOptions& options, Deadline deadline);

}  // namespace emailv2::net
