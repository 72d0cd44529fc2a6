#pragma once
// Shared by the session tests: a Transport that forwards to a FakeTransport the test keeps (so what the client wrote
// can be inspected after the session is gone), canned server replies, and options.

#include <memory>
#include <string>
#include <vector>

#include "smtp/session.h"
#include "support/fake_transport.h"

namespace emailv2::smtp::test {

class BorrowedTransport final : public net::Transport {
 public:
  explicit BorrowedTransport(testing::FakeTransport& fake) : fake_(fake) {}
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
  testing::FakeTransport& fake_;
};

inline constexpr const char* kGreeting = "220 mail.lab.test ESMTP ready\r\n";
inline constexpr const char* kPassword = "s3cret-Pa55word";

inline std::string ehlo(const std::vector<std::string>& extensions) {
  std::string out = extensions.empty() ? "250 mail.lab.test\r\n" : "250-mail.lab.test\r\n";
  for (std::size_t i = 0; i < extensions.size(); ++i) {
    out += (i + 1 == extensions.size() ? "250 " : "250-") + extensions[i] + "\r\n";
  }
  return out;
}

inline SessionOptions options(TlsMode mode, bool use_auth = true) {
  SessionOptions o;
  o.endpoint = {"fake.example", 143};
  o.tls_mode = mode;
  o.ehlo_domain = "lab.test";
  o.use_auth = use_auth;
  o.username = "alice@lab.test";
  o.password = Secret(kPassword);
  return o;
}

// A fake whose server plays `replies`, one read each (so nothing is pipelined unless a test means it).
inline void play(testing::FakeTransport& fake, const std::vector<std::string>& replies, bool one_byte = false) {
  for (const auto& r : replies) fake.server_sends(r);
  fake.one_byte_reads(one_byte);
}

inline Result<Session> start(testing::FakeTransport& fake, const SessionOptions& o) {
  return Session::start(std::make_unique<BorrowedTransport>(fake), o, Deadline::after(std::chrono::seconds(10)));
}

inline Deadline soon() {
  return Deadline::after(std::chrono::seconds(10));
}

}  // namespace emailv2::smtp::test
