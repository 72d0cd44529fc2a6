#pragma once
// A throwaway PKI for TLS tests, generated in memory with OpenSSL (EC P-256 keys, SHA-256 signatures) and written
// as PEM files into a directory that lives as long as the TestCerts object.
//
//   TestCerts certs;                                   // CA, an unrelated second CA, and a server cert
//   ScriptedServer server(Script{}.start_tls(certs.server()).send("* OK\r\n"));
//   options.tls.ca_file = certs.ca_file().string();
//   options.tls.pinned_sha256_hex = certs.server().sha256_hex;
//
// Generation takes a few milliseconds; create one TestCerts per test (or per suite) freely.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace emailv2::testing {

// A leaf certificate and its private key on disk.
struct CertKey {
  std::filesystem::path cert;  // PEM, the leaf only (the CA is trusted directly)
  std::filesystem::path key;   // PEM, unencrypted private key
  std::string sha256_hex;      // SHA-256 of the DER leaf, lower-case hex: the value of TlsConfig::pinned_sha256_hex
};

struct CertOptions {
  // Subject alternative names; entries that parse as IPv4/IPv6 literals become IP SANs, the rest DNS SANs.
  // The first name is also the subject CN.
  std::vector<std::string> names = {"localhost", "127.0.0.1"};
  bool expired = false;             // notBefore = now - 2 days, notAfter = now - 1 day
  bool signed_by_other_ca = false;  // issued by other_ca_file()'s CA instead of ca_file()'s
  bool self_signed = false;         // its own issuer (takes precedence over signed_by_other_ca)
};

class TestCerts {
 public:
  // Creates the PEM files in a fresh temporary directory owned by this object.
  TestCerts();
  // Creates the PEM files in `dir` (which must exist and outlive the object's users).
  explicit TestCerts(const std::filesystem::path& dir);
  ~TestCerts();
  TestCerts(const TestCerts&) = delete;
  TestCerts& operator=(const TestCerts&) = delete;

  const std::filesystem::path& dir() const;
  // The CA that signed server(): pass as TlsConfig::ca_file.
  const std::filesystem::path& ca_file() const;
  // A second, unrelated CA (verification against it fails with "unable to get local issuer certificate").
  const std::filesystem::path& other_ca_file() const;
  // localhost + 127.0.0.1, signed by ca_file()'s CA, valid from an hour ago for 30 days.
  const CertKey& server() const;

  // Issues another leaf; files are named <stem>.crt / <stem>.key in dir(). Throws std::runtime_error on an OpenSSL
  // failure (tests only).
  CertKey issue(const std::string& stem, const CertOptions& options);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace emailv2::testing
