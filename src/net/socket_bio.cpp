#include "net/socket_bio.h"

#include <sys/socket.h>

#include <cerrno>
#include <climits>
#include <cstdint>

namespace emailv2::net {
namespace {

int fd_of(BIO* bio) { return static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio))); }

bool would_block(int err) { return err == EAGAIN || err == EWOULDBLOCK || err == EINTR; }

int bio_write(BIO* bio, const char* data, int length) {
  BIO_clear_retry_flags(bio);
  const ssize_t n = ::send(fd_of(bio), data, static_cast<std::size_t>(length), MSG_NOSIGNAL);
  if (n < 0 && would_block(errno)) BIO_set_retry_write(bio);
  return static_cast<int>(n);
}

int bio_read(BIO* bio, char* data, int length) {
  BIO_clear_retry_flags(bio);
  const ssize_t n = ::recv(fd_of(bio), data, static_cast<std::size_t>(length), 0);
  if (n < 0 && would_block(errno)) BIO_set_retry_read(bio);
  return static_cast<int>(n);
}

int bio_puts(BIO* bio, const char* text) {
  std::size_t len = 0;
  while (text[len] != '\0' && len < INT_MAX) ++len;
  return bio_write(bio, text, static_cast<int>(len));
}

long bio_ctrl(BIO*, int cmd, long, void*) {
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    default:
      return 0;
  }
}

int bio_create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

const BIO_METHOD* method() {
  static BIO_METHOD* const m = [] {
    BIO_METHOD* created = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "emailv2 socket");
    if (created == nullptr) return created;
    BIO_meth_set_write(created, bio_write);
    BIO_meth_set_read(created, bio_read);
    BIO_meth_set_puts(created, bio_puts);
    BIO_meth_set_ctrl(created, bio_ctrl);
    BIO_meth_set_create(created, bio_create);
    return created;
  }();
  return m;
}

}  // namespace

BIO* new_socket_bio(int fd) {
  const BIO_METHOD* m = method();
  if (m == nullptr) return nullptr;
  BIO* bio = BIO_new(m);
  if (bio == nullptr) return nullptr;
  BIO_set_data(bio, reinterpret_cast<void*>(static_cast<std::intptr_t>(fd)));
  return bio;
}

}  // namespace emailv2::net
