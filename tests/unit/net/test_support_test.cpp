// Tests of the test support other suites rely on: the throwaway PKI and the scripted server (driven here by a raw
// POSIX client so that it is checked independently of net::Transport).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>

#include "support/scripted_server.h"
#include "support/test_certs.h"

namespace emailv2::testing {
namespace {

X509* load_cert(const std::filesystem::path& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return nullptr;
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  return cert;
}

// X509_V_OK or the verification error of `leaf` against the single trusted `ca`.
int verify(const std::filesystem::path& leaf_path, const std::filesystem::path& ca_path) {
  X509* leaf = load_cert(leaf_path);
  X509* ca = load_cert(ca_path);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf, nullptr);
  const int ok = X509_verify_cert(ctx);
  const int err = ok == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  X509_free(ca);
  X509_free(leaf);
  return err;
}

TEST(TestCerts, ServerCertVerifiesAgainstItsCaOnly) {
  TestCerts certs;
  EXPECT_EQ(verify(certs.server().cert, certs.ca_file()), X509_V_OK);
  EXPECT_EQ(verify(certs.server().cert, certs.other_ca_file()), X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  EXPECT_EQ(certs.server().sha256_hex.size(), 64u);
}

TEST(TestCerts, ExpiredAndOtherCaAndSelfSigned) {
  TestCerts certs;
  CertOptions expired;
  expired.expired = true;
  EXPECT_EQ(verify(certs.issue("expired", expired).cert, certs.ca_file()), X509_V_ERR_CERT_HAS_EXPIRED);
  CertOptions other;
  other.signed_by_other_ca = true;
  EXPECT_EQ(verify(certs.issue("other", other).cert, certs.other_ca_file()), X509_V_OK);
  CertOptions self;
  self.self_signed = true;
  const CertKey s = certs.issue("self", self);
  EXPECT_NE(verify(s.cert, certs.ca_file()), X509_V_OK);
  EXPECT_NE(s.sha256_hex, certs.server().sha256_hex);
}

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  return fd;
}

std::string read_all(int fd) {
  std::string out;
  char buf[256];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

TEST(ScriptedServer, PlaysScriptAndRecordsLines) {
  ScriptedServer server(Script{}.send("hello\r\n").expect_line_matching("^HI ").send("bye\r\n").close());
  const int fd = connect_to(server.port());
  const std::string line = "HI there\r\n";
  ASSERT_EQ(::send(fd, line.data(), line.size(), 0), static_cast<ssize_t>(line.size()));
  EXPECT_EQ(read_all(fd), "hello\r\nbye\r\n");
  ::close(fd);
  ASSERT_TRUE(server.wait_finished());
  EXPECT_EQ(server.lines(), std::vector<std::string>{"HI there"});
  EXPECT_EQ(server.received_before_tls(), line);
  EXPECT_TRUE(server.failures().empty());
}

TEST(ScriptedServer, MismatchIsRecordedAndDropsConnection) {
  ScriptedServer server(Script{}.expect_line_matching("^EHLO").send("never\r\n"));
  const int fd = connect_to(server.port());
  ASSERT_EQ(::send(fd, "HELO x\r\n", 8, 0), 8);
  EXPECT_EQ(read_all(fd), "");
  ::close(fd);
  ASSERT_TRUE(server.wait_finished());
  ASSERT_EQ(server.failures().size(), 1u);
  EXPECT_NE(server.failures()[0].find("HELO x"), std::string::npos);
}

TEST(ScriptedServer, OnLineDialogueAndStallEndWithClient) {
  ScriptedServer server(Script{}.send("* OK\r\n").on_line([](const std::string& l) { return "echo " + l + "\r\n"; }));
  const int fd = connect_to(server.port());
  ASSERT_EQ(::send(fd, "a\r\nb\r\n", 6, 0), 6);
  ::shutdown(fd, SHUT_WR);
  EXPECT_EQ(read_all(fd), "* OK\r\necho a\r\necho b\r\n");
  ::close(fd);
  ASSERT_TRUE(server.wait_finished());
  EXPECT_EQ(server.lines(), (std::vector<std::string>{"a", "b"}));
}

TEST(ScriptedServer, ExpectationTimesOutBounded) {
  ScriptedServer server(Script{}.step_timeout(std::chrono::milliseconds(100)).expect_line());
  const int fd = connect_to(server.port());
  ASSERT_TRUE(server.wait_finished(std::chrono::seconds(5)));
  ASSERT_EQ(server.failures().size(), 1u);
  EXPECT_NE(server.failures()[0].find("timed out"), std::string::npos);
  ::close(fd);
}

TEST(ScriptedServer, DestructorDoesNotHangWhileStalled) {
  const auto start = std::chrono::steady_clock::now();
  {
    ScriptedServer server(Script{}.stall());
    const int fd = connect_to(server.port());
    ASSERT_TRUE(server.wait_accepted());
    ::close(fd);
  }
  {
    ScriptedServer never_connected(Script{}.send("x"));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

}  // namespace
}  // namespace emailv2::testing
