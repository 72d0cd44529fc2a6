#pragma once
// An in-memory Transport for unit tests of protocol sessions: the test queues what the "server" sends, in chunks
// (one chunk per read_some, or split to one byte per read), and inspects everything the client wrote.
//
// wait_readable(until): true when queued bytes are ready (or, with nothing queued and !timeout_when_empty, the EOF
// read_some would return); false, after really sleeping until `until`, at a server_pauses() marker or when nothing
// is queued and timeout_when_empty() is on — the server stayed silent for the whole wait. read_some skips pause
// markers (the bytes after them arrive in time for a read). A wait with Deadline::never() that would sleep forever
// fails with INTERNAL instead (a test bug, not a hang).

#include <deque>
#include <optional>
#include <string>
#include <thread>

#include "net/transport.h"

namespace emailv2::testing {

class FakeTransport final : public net::Transport {
 public:
  FakeTransport() { endpoint_ = {"fake.example", 143}; }

  // Queues server bytes. With one_byte_reads(), every read_some returns at most one byte.
  void server_sends(std::string bytes) { inbox_.push_back(std::move(bytes)); }
  // The server says nothing for a while: the next wait_readable() that reaches this point returns false.
  void server_pauses() { inbox_.push_back(std::nullopt); }
  void one_byte_reads(bool on = true) { one_byte_ = on; }
  // After the queued bytes run out, read_some returns EOF (default) or TIMEOUT.
  void timeout_when_empty(bool on = true) { timeout_when_empty_ = on; }
  void fail_start_tls(bool on = true) { fail_start_tls_ = on; }

  const std::string& written() const { return written_; }
  // What was written before start_tls() succeeded (plaintext).
  const std::string& written_in_clear() const { return written_in_clear_; }
  int start_tls_calls() const { return start_tls_calls_; }
  int wait_readable_calls() const { return wait_readable_calls_; }

  Result<std::size_t> read_some(std::span<char> buffer, Deadline, std::string_view waiting_for) override {
    if (!open_) return fail(ErrorCode::kImapBye, "connection closed");
    while (!inbox_.empty() && (!inbox_.front() || inbox_.front()->empty())) inbox_.pop_front();
    if (inbox_.empty()) {
      if (timeout_when_empty_) {
        open_ = false;
        return fail(ErrorCode::kTimeout, "Timed out after 1 s waiting for " + std::string(waiting_for) + " from " +
                                             endpoint_.to_string());
      }
      return std::size_t{0};
    }
    std::string& chunk = *inbox_.front();
    std::size_t n = std::min(buffer.size(), chunk.size());
    if (one_byte_) n = std::min<std::size_t>(n, 1);
    chunk.copy(buffer.data(), n);
    chunk.erase(0, n);
    return n;
  }

  Result<bool> wait_readable(Deadline until) override {
    ++wait_readable_calls_;
    if (!open_) return fail(ErrorCode::kConnectFailed, "connection closed");
    while (!inbox_.empty() && inbox_.front() && inbox_.front()->empty()) inbox_.pop_front();
    const bool silent = inbox_.empty() ? timeout_when_empty_ : !inbox_.front().has_value();
    if (!silent) return true;
    if (until.is_never()) return fail(ErrorCode::kInternal, "FakeTransport: wait_readable(never) on a silent server");
    if (!inbox_.empty()) inbox_.pop_front();
    std::this_thread::sleep_until(until.time_point());
    return false;
  }

  Status write_all(std::string_view bytes, Deadline) override {
    if (!open_) return fail(ErrorCode::kImapBye, "connection closed");
    written_.append(bytes);
    if (!tls_) written_in_clear_.append(bytes);
    return ok();
  }

  Status start_tls(Deadline) override {
    ++start_tls_calls_;
    if (fail_start_tls_) return fail(ErrorCode::kTlsFailed, "handshake failed (fake)");
    tls_ = true;
    return ok();
  }

  bool is_tls() const override { return tls_; }
  bool is_open() const override { return open_; }
  void close() override { open_ = false; }
  const net::Endpoint& endpoint() const override { return endpoint_; }
  std::chrono::milliseconds operation_timeout() const override { return std::chrono::seconds(1); }
  std::uint64_t bytes_written() const override { return written_.size(); }

  void set_tls(bool on) { tls_ = on; }

 private:
  net::Endpoint endpoint_;
  std::deque<std::optional<std::string>> inbox_;  // nullopt = a pause
  std::string written_;
  std::string written_in_clear_;
  bool one_byte_ = false;
  bool timeout_when_empty_ = false;
  bool fail_start_tls_ = false;
  bool tls_ = false;
  bool open_ = true;
  int start_tls_calls_ = 0;
  int wait_readable_calls_ = 0;
};

}  // namespace emailv2::testing
