// TLS policy of net::connect()/Transport against scripted servers with a throwaway PKI (CONTRACT §2.1): chain and
// host name verification, pins, the verify=false warn, STARTTLS and its injection guard.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <mutex>

#include "core/log.h"
#include "net/transport.h"
#include "support/scripted_server.h"
#include "support/test_certs.h"

namespace emailv2::net {
namespace {

using testing::CertOptions;
using testing::Script;
using testing::ScriptedServer;
using testing::TestCerts;
using namespace std::chrono_literals;

ConnectOptions tls_options(const ScriptedServer& server, const TestCerts& certs) {
  ConnectOptions o;
  o.endpoint = server.endpoint();
  o.implicit_tls = true;
  o.tls.ca_file = certs.ca_file().string();
  o.connect_timeout = 5s;
  o.operation_timeout = 5s;
  o.protocol = "imap";
  return o;
}

// Reads until `n` bytes arrived (or EOF / error).
Result<std::string> read_n(Transport& t, std::size_t n) {
  std::string out;
  while (out.size() < n) {
    std::string buf(n - out.size(), '\0');
    auto got = t.read_some(buf, Deadline::after(5s), "greeting");
    if (!got) return fail(got.error());
    if (*got == 0) break;
    out.append(buf.data(), *got);
  }
  return out;
}

// Captures log lines for the lifetime of the object.
class LogCapture {
 public:
  LogCapture() {
    log::configure(log::Level::kTrace, log::Format::kText);
    log::set_line_sink_for_testing([this](std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(line);
    });
  }
  ~LogCapture() {
    log::set_line_sink_for_testing(nullptr);
    log::configure(log::Level::kInfo, log::Format::kText);
  }
  int count(std::string_view needle) {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& l : lines_) n += l.find(needle) != std::string::npos ? 1 : 0;
    return n;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

TEST(NetTls, ImplicitTlsWithTheTestCaByIpAndByName) {
  TestCerts certs;
  for (const char* host : {"127.0.0.1", "localhost"}) {
    SCOPED_TRACE(host);
    ScriptedServer server(
        Script{}.start_tls(certs.server()).send("* OK hello\r\n").expect_line_matching("^a1 LOGOUT$").send("* BYE\r\n").close());
    ConnectOptions o = tls_options(server, certs);
    o.endpoint.host = host;
    auto t = connect(o, Deadline::after(10s));
    ASSERT_TRUE(t) << t.error().to_string();
    EXPECT_TRUE((*t)->is_tls());
    EXPECT_EQ(*read_n(**t, 12), "* OK hello\r\n");
    ASSERT_TRUE((*t)->write_all("a1 LOGOUT\r\n", Deadline::after(5s)));
    EXPECT_EQ(*read_n(**t, 7), "* BYE\r\n");
    // The server's close_notify is an orderly end: 0 bytes.
    char c = 0;
    auto eof = (*t)->read_some(std::span<char>(&c, 1), Deadline::after(5s));
    ASSERT_TRUE(eof) << eof.error().to_string();
    EXPECT_EQ(*eof, 0u);
    EXPECT_EQ((*t)->bytes_written(), 11u);
    (*t)->close();
    (*t)->close();  // idempotent
    ASSERT_TRUE(server.wait_finished());
    EXPECT_TRUE(server.failures().empty());
    EXPECT_EQ(server.received_after_tls(), "a1 LOGOUT\r\n");
  }
}

TEST(NetTls, TruncatedTlsStreamIsAnErrorNotEof) {
  TestCerts certs;
  ScriptedServer server(Script{}.start_tls(certs.server()).send("* OK\r\n").drop());
  auto t = connect(tls_options(server, certs), Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(*read_n(**t, 6), "* OK\r\n");
  char c = 0;
  auto r = (*t)->read_some(std::span<char>(&c, 1), Deadline::after(5s));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kConnectFailed);
  EXPECT_NE(r.error().detail().find("connection closed by 127.0.0.1:"), std::string::npos) << r.error().detail();
  EXPECT_FALSE((*t)->is_open());
}

struct VerifyRow {
  const char* name;
  std::function<testing::CertKey(TestCerts&)> cert;
  std::function<void(ConnectOptions&, TestCerts&)> adjust;
  const char* reason;  // expected in the TLS_FAILED detail
};

TEST(NetTls, VerificationFailuresNameTheReason) {
  const std::vector<VerifyRow> rows = {
      {"wrong CA", [](TestCerts& c) { return c.server(); },
       [](ConnectOptions& o, TestCerts& c) { o.tls.ca_file = c.other_ca_file().string(); },
       "certificate verification failed for 127.0.0.1: unable to get local issuer certificate"},
      {"hostname mismatch", [](TestCerts& c) { return c.server(); },
       [](ConnectOptions& o, TestCerts&) { o.tls.server_name = "wrong.example"; },
       "certificate verification failed for wrong.example: hostname mismatch"},
      {"IP not in SAN", [](TestCerts& c) { return c.issue("named", CertOptions{{"mail.example"}}); },
       [](ConnectOptions&, TestCerts&) {}, "certificate verification failed for 127.0.0.1: ip address mismatch"},
      {"expired", [](TestCerts& c) {
         CertOptions o;
         o.expired = true;
         return c.issue("expired", o);
       },
       [](ConnectOptions&, TestCerts&) {}, "certificate verification failed for 127.0.0.1: certificate has expired"},
      {"self-signed", [](TestCerts& c) {
         CertOptions o;
         o.self_signed = true;
         return c.issue("self", o);
       },
       [](ConnectOptions&, TestCerts&) {}, "certificate verification failed for 127.0.0.1: self-signed certificate"},
      {"system store does not know the test CA", [](TestCerts& c) { return c.server(); },
       [](ConnectOptions& o, TestCerts&) { o.tls.ca_file.clear(); },
       "certificate verification failed for 127.0.0.1: unable to get local issuer certificate"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    TestCerts certs;
    ScriptedServer server(Script{}.start_tls(row.cert(certs)).send("* OK\r\n"));
    ConnectOptions o = tls_options(server, certs);
    row.adjust(o, certs);
    auto t = connect(o, Deadline::after(10s));
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code(), ErrorCode::kTlsFailed);
    std::string detail = t.error().detail();
    for (auto& ch : detail) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_NE(detail.find(row.reason), std::string::npos) << t.error().detail();
    EXPECT_TRUE(server.wait_finished());
    EXPECT_EQ(server.received_after_tls(), "");
  }
}

TEST(NetTls, PinAcceptsAnUntrustedCertificateAndRejectsAnotherOne) {
  TestCerts certs;
  CertOptions self;
  self.self_signed = true;
  self.names = {"unrelated.example"};
  const auto untrusted = certs.issue("pinned", self);
  {
    ScriptedServer server(Script{}.start_tls(untrusted).send("* OK pinned\r\n"));
    ConnectOptions o = tls_options(server, certs);
    o.tls.pinned_sha256_hex = untrusted.sha256_hex;
    auto t = connect(o, Deadline::after(10s));
    ASSERT_TRUE(t) << t.error().to_string();
    EXPECT_EQ(*read_n(**t, 13), "* OK pinned\r\n");
  }
  {
    // Upper case with colons, as browsers show it.
    std::string shown;
    for (std::size_t i = 0; i < untrusted.sha256_hex.size(); i += 2) {
      if (!shown.empty()) shown += ':';
      shown += static_cast<char>(std::toupper(untrusted.sha256_hex[i]));
      shown += static_cast<char>(std::toupper(untrusted.sha256_hex[i + 1]));
    }
    ScriptedServer server(Script{}.start_tls(untrusted).send("* OK\r\n"));
    ConnectOptions o = tls_options(server, certs);
    o.tls.pinned_sha256_hex = shown;
    EXPECT_TRUE(connect(o, Deadline::after(10s)));
  }
  {
    // A valid, trusted chain with the wrong pin still fails.
    ScriptedServer server(Script{}.start_tls(certs.server()).send("* OK\r\n"));
    ConnectOptions o = tls_options(server, certs);
    o.tls.pinned_sha256_hex = untrusted.sha256_hex;
    auto t = connect(o, Deadline::after(10s));
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code(), ErrorCode::kTlsFailed);
    EXPECT_NE(t.error().detail().find("does not match the pinned SHA-256"), std::string::npos);
  }
  {
    ScriptedServer server(Script{}.start_tls(certs.server()));
    ConnectOptions o = tls_options(server, certs);
    o.tls.pinned_sha256_hex = "abc";
    auto t = connect(o, Deadline::after(10s));
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code(), ErrorCode::kConfigInvalid);
  }
}

TEST(NetTls, VerifyFalseConnectsAndWarnsOnEveryConnection) {
  TestCerts certs;
  CertOptions self;
  self.self_signed = true;
  self.expired = true;
  const auto bad = certs.issue("bad", self);
  LogCapture logs;
  for (int i = 0; i < 2; ++i) {
    ScriptedServer server(Script{}.start_tls(bad).send("* OK\r\n"));
    ConnectOptions o = tls_options(server, certs);
    o.tls.verify = false;
    o.tls.server_name = "wrong.example";
    auto t = connect(o, Deadline::after(10s));
    ASSERT_TRUE(t) << t.error().to_string();
    EXPECT_EQ(*read_n(**t, 6), "* OK\r\n");
  }
  EXPECT_EQ(logs.count("WARN imap: TLS certificate verification is disabled"), 2);
}

TEST(NetTls, MissingCaFileIsAConfigurationError) {
  TestCerts certs;
  ScriptedServer server(Script{}.start_tls(certs.server()));
  ConnectOptions o = tls_options(server, certs);
  o.tls.ca_file = (certs.dir() / "missing.pem").string();
  auto t = connect(o, Deadline::after(10s));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kConfigInvalid);
  EXPECT_NE(t.error().detail().find("Cannot load CA File"), std::string::npos);
}

TEST(NetTls, ServerLimitedToTls11IsRefused) {
  TestCerts certs;
  ScriptedServer server(Script{}.start_tls(certs.server(), TLS1_1_VERSION));
  auto t = connect(tls_options(server, certs), Deadline::after(10s));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kTlsFailed);
  EXPECT_NE(t.error().detail().find("TLS handshake with 127.0.0.1:"), std::string::npos) << t.error().detail();
}

TEST(NetTls, NotTlsAtAllIsTlsFailed) {
  TestCerts certs;
  ScriptedServer server(Script{}.send("* OK plain IMAP here\r\n").stall());
  auto t = connect(tls_options(server, certs), Deadline::after(10s));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kTlsFailed) << t.error().to_string();
}

TEST(NetTls, StartTlsUpgradesAndRecordsBothSides) {
  TestCerts certs;
  ScriptedServer server(Script{}
                            .send("* OK\r\n")
                            .expect_line_matching("^a1 STARTTLS$")
                            .send("a1 OK begin\r\n")
                            .start_tls(certs.server())
                            .expect_line_matching("^a2 CAPABILITY$")
                            .send("a2 OK\r\n")
                            .close());
  ConnectOptions o = tls_options(server, certs);
  o.implicit_tls = false;
  auto t = connect(o, Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_FALSE((*t)->is_tls());
  EXPECT_EQ(*read_n(**t, 6), "* OK\r\n");
  ASSERT_TRUE((*t)->write_all("a1 STARTTLS\r\n", Deadline::after(5s)));
  EXPECT_EQ(*read_n(**t, 13), "a1 OK begin\r\n");
  auto up = (*t)->start_tls(Deadline::after(5s));
  ASSERT_TRUE(up) << up.error().to_string();
  EXPECT_TRUE((*t)->is_tls());
  ASSERT_TRUE((*t)->write_all("a2 CAPABILITY\r\n", Deadline::after(5s)));
  EXPECT_EQ(*read_n(**t, 7), "a2 OK\r\n");
  (*t)->close();
  ASSERT_TRUE(server.wait_finished());
  EXPECT_TRUE(server.failures().empty());
  EXPECT_EQ(server.received_before_tls(), "a1 STARTTLS\r\n");
  EXPECT_EQ(server.received_after_tls(), "a2 CAPABILITY\r\n");
}

TEST(NetTls, BytesPendingBeforeTheHandshakeAreTlsRequiredAndNothingIsSent) {
  TestCerts certs;
  ScriptedServer server(Script{}
                            .send("* OK\r\n")
                            .expect_line_matching("^a1 STARTTLS$")
                            .send("a1 OK begin\r\n* 1 EXISTS injected\r\n")
                            .start_tls(certs.server()));
  ConnectOptions o = tls_options(server, certs);
  o.implicit_tls = false;
  auto t = connect(o, Deadline::after(10s));
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(*read_n(**t, 6), "* OK\r\n");
  ASSERT_TRUE((*t)->write_all("a1 STARTTLS\r\n", Deadline::after(5s)));
  EXPECT_EQ(*read_n(**t, 13), "a1 OK begin\r\n");
  std::this_thread::sleep_for(50ms);  // the injected line is in the same segment; let it land
  const auto written = (*t)->bytes_written();
  auto up = (*t)->start_tls(Deadline::after(5s));
  ASSERT_FALSE(up);
  EXPECT_EQ(up.error().code(), ErrorCode::kTlsRequired);
  EXPECT_FALSE((*t)->is_open());
  EXPECT_EQ((*t)->bytes_written(), written);
  ASSERT_TRUE(server.wait_finished());
  EXPECT_FALSE(server.tls_established());
  EXPECT_EQ(server.received_before_tls(), "a1 STARTTLS\r\n");  // no ClientHello, nothing else
  EXPECT_EQ(server.received_after_tls(), "");
}

}  // namespace
}  // namespace emailv2::net
