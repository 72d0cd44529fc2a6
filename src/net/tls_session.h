#pragma once
// The client side of one TLS connection over a connected, non-blocking socket (OpenSSL 3).
//
// Policy (CONTRACT §2.1, docs/transport.md): TLS >= 1.2; SNI with the server name unless it is an IP literal; the
// chain is checked against TlsConfig::ca_file or the system store and the name against the certificate's SAN
// (SSL_set1_host: DNS names and IP addresses); a configured SHA-256 pin of the DER leaf is always enforced and, when
// it matches, accepts a certificate whose chain check failed; verify=false skips chain and name checks and logs a
// warn on every handshake.

#include <openssl/ssl.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "net/transport.h"
#include "net/wait_limit.h"

namespace emailv2::net {

class TlsSession {
 public:
  // Runs the handshake on `fd` (owned by the caller and kept open while the session lives). `peer` is the TCP
  // endpoint named in errors; the verified name is config.server_name, else peer.host.
  // Errors: TLS_FAILED "certificate verification failed for <name>: <reason>" / "TLS handshake with <h>:<p> failed:
  // <reason>"; CONFIG_INVALID (unreadable CA file, malformed pin); TIMEOUT "... waiting for TLS handshake from ...".
  static Result<std::unique_ptr<TlsSession>> handshake(int fd, const TlsConfig& config, const Endpoint& peer,
                                                       std::string_view component, const WaitLimit& limit);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // 1..buffer.size() bytes; 0 after the peer's close_notify. A TCP EOF without close_notify is CONNECT_FAILED
  // "connection closed by <h>:<p> without TLS close_notify" (a truncated stream is never mistaken for an end).
  Result<std::size_t> read(std::span<char> buffer, const WaitLimit& limit, std::string_view what,
                           const Endpoint& peer);
  Status write(std::string_view bytes, const WaitLimit& limit, const Endpoint& peer);
  // True when read() would return at once (buffered plaintext, a new application-data record, close_notify, or an
  // error read() will report); false when `until` passes first. Non-application records are processed meanwhile.
  // Errors: CONNECT_FAILED (poll failure).
  Result<bool> wait_readable(Deadline until, const Endpoint& peer);
  // Sends close_notify if the socket takes it at once; never waits, never fails.
  void shutdown() noexcept;
  // "TLSv1.3 TLS_AES_256_GCM_SHA384", for logs.
  std::string description() const;

 private:
  TlsSession(int fd, SSL_CTX* ctx, SSL* ssl) : fd_(fd), ctx_(ctx), ssl_(ssl) {}
  int fd_;
  SSL_CTX* ctx_;
  SSL* ssl_;
};

// Lower-case hex SHA-256 of a DER certificate.
std::string certificate_sha256_hex(X509* certificate);
// A pin as users write it ("AB:CD:..." or "abcd...") in canonical lower-case hex; empty when it is not 64 hex digits.
std::string normalise_pin(std::string_view pin);

}  // namespace emailv2::net
