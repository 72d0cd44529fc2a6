#pragma once
// An OpenSSL BIO over a non-blocking socket fd that sends with MSG_NOSIGNAL (OpenSSL's own socket BIO uses
// write(2), which raises SIGPIPE when the peer is gone). The fd stays owned by the caller's Socket.

#include <openssl/bio.h>

namespace emailv2::net {

// A new BIO reading and writing `fd`; nullptr on allocation failure. Freed by SSL_free once given to SSL_set_bio.
BIO* new_socket_bio(int fd);

}  // namespace emailv2::net
