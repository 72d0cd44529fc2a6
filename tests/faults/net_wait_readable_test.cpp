// Transport::wait_readable against scripted servers, plain and TLS: a wait that ends at its deadline leaves the
// connection usable (unlike read timeouts); data, close_notify and FIN end it; TLS 1.3 session tickets sent after
// the handshake do not; bytes already decrypted and buffered count.
#include <gtest/gtest.h>

#include <thread>

#include "net/transport.h"
#include "support/scripted_server.h"
#include "support/test_certs.h"

namespace emailv2::net {
namespace {

using testing::Script;
using testing::ScriptedServer;
using testing::TestCerts;
using namespace std::chrono_literals;

ConnectOptions options_for(const ScriptedServer& server, const TestCerts* certs) {
  ConnectOptions o;
  o.endpoint = server.endpoint();
  o.implicit_tls = certs != nullptr;
  if (certs != nullptr) o.tls.ca_file = certs->ca_file().string();
  o.connect_timeout = 5s;
  o.operation_timeout = 5s;
  o.protocol = "imap";
  return o;
}

std::string read_available(Transport& t, std::size_t n) {
  std::string buf(n, '\0');
  auto got = t.read_some(buf, Deadline::after(5s));
  EXPECT_TRUE(got) << got.error().to_string();
  return got ? buf.substr(0, *got) : "";
}

// The same dialogue over plain TCP and TLS: silence (wait -> false, still open), data (true), then the end (true,
// read -> 0).
void silence_then_data_then_end(bool tls) {
  TestCerts certs;
  Script script;
  if (tls) script.start_tls(certs.server());
  script.sleep(400ms).send("* 1 EXISTS\r\n").sleep(400ms).close();
  ScriptedServer server(std::move(script));
  auto t = connect(options_for(server, tls ? &certs : nullptr), Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();

  const auto start = std::chrono::steady_clock::now();
  auto quiet = (*t)->wait_readable(Deadline::after(100ms));
  ASSERT_TRUE(quiet) << quiet.error().to_string();
  EXPECT_FALSE(*quiet);  // TLS: the session tickets after the handshake did not count as data
  EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_TRUE((*t)->is_open());  // not an error: the connection stays usable

  auto data = (*t)->wait_readable(Deadline::after(10s));
  ASSERT_TRUE(data) << data.error().to_string();
  EXPECT_TRUE(*data);
  EXPECT_EQ(read_available(**t, 5), "* 1 E");
  // The rest is already buffered (TLS: decrypted inside OpenSSL, not on the socket): ready at once, even with a
  // deadline already past.
  auto buffered = (*t)->wait_readable(Deadline::after(0ms));
  ASSERT_TRUE(buffered);
  EXPECT_TRUE(*buffered);
  EXPECT_EQ(read_available(**t, 64), "XISTS\r\n");

  auto end = (*t)->wait_readable(Deadline::after(10s));
  ASSERT_TRUE(end) << end.error().to_string();
  EXPECT_TRUE(*end);
  char c = 0;
  auto eof = (*t)->read_some(std::span<char>(&c, 1), Deadline::after(5s));
  ASSERT_TRUE(eof) << eof.error().to_string();
  EXPECT_EQ(*eof, 0U);
  ASSERT_TRUE(server.wait_finished());
  EXPECT_TRUE(server.failures().empty());
}

TEST(NetWaitReadable, PlainSilenceThenDataThenEnd) { silence_then_data_then_end(false); }

TEST(NetWaitReadable, TlsSilenceThenDataThenCloseNotify) { silence_then_data_then_end(true); }

// TLS read-ahead takes whatever the socket holds: a second record that arrived with the first sits in OpenSSL's
// buffer, not on the socket, once the first one has been read. It is ready at once (polling the socket would wait
// for bytes that already came).
TEST(NetWaitReadable, TlsRecordReadAheadCountsAsReady) {
  TestCerts certs;
  Script script;
  script.start_tls(certs.server()).send("* 1 EXISTS\r\n").send("* 2 EXISTS\r\n").sleep(2s).close();
  ScriptedServer server(std::move(script));
  auto t = connect(options_for(server, &certs), Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();
  ASSERT_TRUE(*(*t)->wait_readable(Deadline::after(10s)));
  std::this_thread::sleep_for(200ms);  // both records are in by now: the first read takes them from the socket
  EXPECT_EQ(read_available(**t, 12), "* 1 EXISTS\r\n");
  auto buffered = (*t)->wait_readable(Deadline::after(0ms));
  ASSERT_TRUE(buffered) << buffered.error().to_string();
  EXPECT_TRUE(*buffered);
  EXPECT_EQ(read_available(**t, 64), "* 2 EXISTS\r\n");
  // Nothing more buffered: the next wait is on the socket again and ends at its deadline.
  auto quiet = (*t)->wait_readable(Deadline::after(100ms));
  ASSERT_TRUE(quiet);
  EXPECT_FALSE(*quiet);
  ASSERT_TRUE(server.wait_finished());
  EXPECT_TRUE(server.failures().empty());
}

TEST(NetWaitReadable, WriteAfterAQuietWaitStillWorks) {
  ScriptedServer server(Script{}.sleep(200ms).expect_line_matching("^DONE$").send("A1 OK\r\n").close());
  auto t = connect(options_for(server, nullptr), Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();
  auto quiet = (*t)->wait_readable(Deadline::after(50ms));
  ASSERT_TRUE(quiet);
  EXPECT_FALSE(*quiet);
  ASSERT_TRUE((*t)->write_all("DONE\r\n", Deadline::after(5s)));
  ASSERT_TRUE(*(*t)->wait_readable(Deadline::after(10s)));
  EXPECT_EQ(read_available(**t, 64), "A1 OK\r\n");
  ASSERT_TRUE(server.wait_finished());
  EXPECT_TRUE(server.failures().empty());
}

TEST(NetWaitReadable, ClosedTransportIsAnError) {
  ScriptedServer server(Script{}.stall());
  auto t = connect(options_for(server, nullptr), Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();
  (*t)->close();
  auto r = (*t)->wait_readable(Deadline::after(10ms));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kConnectFailed);
}

}  // namespace
}  // namespace emailv2::net
