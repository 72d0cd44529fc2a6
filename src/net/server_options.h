#pragma once
// How to reach one mail server: the part of the connection settings that IMAP and SMTP sessions share
// (imap::SessionOptions and smtp::SessionOptions both extend it with their protocol's TLS mode and authentication).

#include <chrono>
#include <string>

#include "net/transport.h"

namespace emailv2::net {

struct ServerOptions {
  Endpoint endpoint;
  TlsConfig tls;
  ProxyConfig proxy;
  std::chrono::milliseconds connect_timeout{30'000};    // DNS + TCP + proxy + TLS handshake (one budget)
  std::chrono::milliseconds operation_timeout{60'000};  // each read / write

  // The net::connect() options for this server: `implicit_tls` for IMAPS/SMTPS, `protocol` names the log component.
  ConnectOptions connect_options(bool implicit_tls, std::string protocol) const {
    ConnectOptions c;
    c.endpoint = endpoint;
    c.implicit_tls = implicit_tls;
    c.tls = tls;
    c.proxy = proxy;
    c.connect_timeout = connect_timeout;
    c.operation_timeout = operation_timeout;
    c.protocol = std::move(protocol);
    return c;
  }
};

}  // namespace emailv2::net
