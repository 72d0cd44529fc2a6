#include "support/test_certs.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdexcept>

#include "support/test_env.h"

namespace emailv2::testing {
namespace {

constexpr long kHour = 3600;
constexpr long kDay = 24 * kHour;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

[[noreturn]] void die(const std::string& what) { throw std::runtime_error("test_certs: " + what + " failed"); }

void check(int rc, const char* what) {
  if (rc <= 0) die(what);
}

PkeyPtr new_key() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) die("EVP_EC_gen");
  return key;
}

bool is_ip_literal(const std::string& name) {
  unsigned char buf[16];
  return inet_pton(AF_INET, name.c_str(), buf) == 1 || inet_pton(AF_INET6, name.c_str(), buf) == 1;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) die("X509V3_EXT_conf_nid " + value);
  const int rc = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  check(rc, "X509_add_ext");
}

void set_serial(X509* cert) {
  unsigned char bytes[16];
  check(RAND_bytes(bytes, sizeof bytes), "RAND_bytes");
  bytes[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(bytes, sizeof bytes, nullptr);
  if (bn == nullptr) die("BN_bin2bn");
  check(BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr ? 1 : 0, "BN_to_ASN1_INTEGER");
  BN_free(bn);
}

// Builds a certificate for `key` named `cn`; issuer == nullptr means self-signed.
X509Ptr make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, long not_before, long not_after) {
  X509Ptr cert(X509_new());
  if (!cert) die("X509_new");
  check(X509_set_version(cert.get(), 2), "X509_set_version");
  set_serial(cert.get());
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), not_before);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), not_after);
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("emailv2 tests"),
                                   -1, -1, 0),
        "X509_NAME O");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                                   -1, 0),
        "X509_NAME CN");
  X509* signer = issuer != nullptr ? issuer : cert.get();
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)), "X509_set_issuer_name");
  check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");
  return cert;
}

void sign(X509* cert, EVP_PKEY* key) { check(X509_sign(cert, key, EVP_sha256()), "X509_sign"); }

void write_cert(X509* cert, const std::filesystem::path& path) {
  BIO* bio = BIO_new_file(path.c_str(), "w");
  if (bio == nullptr) die("BIO_new_file " + path.string());
  const int rc = PEM_write_bio_X509(bio, cert);
  BIO_free(bio);
  check(rc, "PEM_write_bio_X509");
}

void write_key(EVP_PKEY* key, const std::filesystem::path& path) {
  BIO* bio = BIO_new_file(path.c_str(), "w");
  if (bio == nullptr) die("BIO_new_file " + path.string());
  const int rc = PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  BIO_free(bio);
  check(rc, "PEM_write_bio_PrivateKey");
}

std::string der_sha256_hex(X509* cert) {
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  if (len <= 0) die("i2d_X509");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  const int rc = EVP_Digest(der, static_cast<std::size_t>(len), md, &md_len, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  check(rc, "EVP_Digest");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < md_len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

struct Authority {
  PkeyPtr key;
  X509Ptr cert;
};

Authority make_ca(const std::string& cn, const std::filesystem::path& path) {
  Authority ca{new_key(), nullptr};
  ca.cert = make_cert(ca.key.get(), cn, nullptr, -kHour, 365 * kDay);
  add_extension(ca.cert.get(), ca.cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(ca.cert.get(), ca.cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(ca.cert.get(), ca.cert.get(), NID_subject_key_identifier, "hash");
  sign(ca.cert.get(), ca.key.get());
  write_cert(ca.cert.get(), path);
  return ca;
}

}  // namespace

struct TestCerts::Impl {
  std::unique_ptr<TempDir> owned_dir;
  std::filesystem::path dir;
  std::filesystem::path ca_file;
  std::filesystem::path other_ca_file;
  Authority ca;
  Authority other_ca;
  CertKey server;
};

TestCerts::TestCerts() : TestCerts(std::filesystem::path()) {}

TestCerts::TestCerts(const std::filesystem::path& dir) : impl_(std::make_unique<Impl>()) {
  if (dir.empty()) {
    impl_->owned_dir = std::make_unique<TempDir>();
    impl_->dir = impl_->owned_dir->path();
  } else {
    impl_->dir = dir;
  }
  impl_->ca_file = impl_->dir / "ca.crt";
  impl_->other_ca_file = impl_->dir / "other-ca.crt";
  impl_->ca = make_ca("emailv2 test CA", impl_->ca_file);
  impl_->other_ca = make_ca("emailv2 unrelated CA", impl_->other_ca_file);
  impl_->server = issue("server", CertOptions{});
}

TestCerts::~TestCerts() = default;

const std::filesystem::path& TestCerts::dir() const { return impl_->dir; }
const std::filesystem::path& TestCerts::ca_file() const { return impl_->ca_file; }
const std::filesystem::path& TestCerts::other_ca_file() const { return impl_->other_ca_file; }
const CertKey& TestCerts::server() const { return impl_->server; }

CertKey TestCerts::issue(const std::string& stem, const CertOptions& options) {
  if (options.names.empty()) throw std::runtime_error("test_certs: a certificate needs at least one name");
  PkeyPtr key = new_key();
  const Authority& ca = options.signed_by_other_ca ? impl_->other_ca : impl_->ca;
  X509* issuer = options.self_signed ? nullptr : ca.cert.get();
  EVP_PKEY* issuer_key = options.self_signed ? key.get() : ca.key.get();
  const long not_before = options.expired ? -2 * kDay : -kHour;
  const long not_after = options.expired ? -kDay : 30 * kDay;
  X509Ptr cert = make_cert(key.get(), options.names.front(), issuer, not_before, not_after);

  std::string san;
  for (const auto& name : options.names) {
    if (!san.empty()) san += ',';
    san += (is_ip_literal(name) ? "IP:" : "DNS:") + name;
  }
  X509* ext_issuer = issuer != nullptr ? issuer : cert.get();
  add_extension(cert.get(), ext_issuer, NID_subject_alt_name, san);
  add_extension(cert.get(), ext_issuer, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), ext_issuer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
  add_extension(cert.get(), ext_issuer, NID_ext_key_usage, "serverAuth");
  if (issuer != nullptr) add_extension(cert.get(), issuer, NID_authority_key_identifier, "keyid");
  sign(cert.get(), issuer_key);

  CertKey out;
  out.cert = impl_->dir / (stem + ".crt");
  out.key = impl_->dir / (stem + ".key");
  write_cert(cert.get(), out.cert);
  write_key(key.get(), out.key);
  out.sha256_hex = der_sha256_hex(cert.get());
  return out;
}

}  // namespace emailv2::testing
