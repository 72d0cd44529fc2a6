#pragma once
// Session tests: a Transport that forwards to a FakeTransport the test keeps, so what the client wrote can be
// inspected even after Session::open() failed and destroyed its transport.

#include <memory>

#include "imap/session.h"
#include "support/fake_transport.h"

namespace emailv2::imap::testing {

class ForwardingTransport final : public net::Transport {
 public:
  explicit ForwardingTransport(emailv2::testing::FakeTransport& fake) : fake_(fake) {}
  Result<std::size_t> read_some(std::span<char> b, Deadline d, std::string_view w) override {
    return fake_.read_some(b, d, w);
  }
  Status write_all(std::string_view bytes, Deadline d) override { return fake_.write_all(bytes, d); }
  Result<bool> wait_readable(Deadline until) override { return fake_.wait_readable(until); }
  Status start_tls(Deadline d) override { return fake_.start_tls(d); }
  bool is_tls() const override { return fake_.is_tls(); }
  bool is_open() const override { return fake_.is_open(); }
  void close() override { fake_.close(); }
  const net::Endpoint& endpoint() const override { return fake_.endpoint(); }
  std::chrono::milliseconds operation_timeout() const override { return fake_.operation_timeout(); }
  std::uint64_t bytes_written() const override { return fake_.bytes_written(); }

 private:
  emailv2::testing::FakeTransport& fake_;
};

inline SessionOptions password_options(std::string password = "s3cret-pw") {
  SessionOptions o;
  o.endpoint = {"fake.example", 143};
  o.username = "alice@lab.test";
  o.password = Secret(std::move(password));
  return o;
}

inline Result<std::unique_ptr<Session>> open_session(emailv2::testing::FakeTransport& fake,
                                                     const SessionOptions& options) {
  return Session::open(std::make_unique<ForwardingTransport>(fake), options, Deadline::after(std::chrono::seconds(5)));
}

}  // namespace emailv2::imap::testing
