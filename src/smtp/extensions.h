#pragma once
// The SMTP service extensions a server announced in its EHLO reply (RFC 5321 §4.1.1.1, RFC 1870 SIZE, RFC 3207
// STARTTLS, RFC 4954 AUTH, RFC 6152 8BITMIME, RFC 6531 SMTPUTF8, RFC 2920 PIPELINING, RFC 2034 ENHANCEDSTATUSCODES).
//
// Parsing is liberal: a line that is not `keyword *(SP param)`, or holds a control character, is ignored; unknown
// keywords are kept in lines(). Keywords compare case-insensitively; AUTH mechanisms are upper-cased and merged from
// both `AUTH a b` and the old `AUTH=a b` form, without duplicates.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smtp/reply.h"

namespace emailv2::smtp {

class Extensions {
 public:
  // From a 250 EHLO reply: the first line is the server's domain/greeting, each later line one extension.
  static Extensions from_ehlo(const Reply& reply);

  bool has(std::string_view keyword) const;  // case-insensitive: has("starttls")
  bool starttls() const { return has("STARTTLS"); }
  bool pipelining() const { return has("PIPELINING"); }
  bool eight_bit_mime() const { return has("8BITMIME"); }
  bool smtputf8() const { return has("SMTPUTF8"); }
  bool enhanced_status_codes() const { return has("ENHANCEDSTATUSCODES"); }
  // SIZE: nullopt when not announced; 0 when announced without a (valid) fixed maximum; else the maximum in bytes.
  std::optional<std::uint64_t> size() const { return size_; }
  bool supports_auth(std::string_view mechanism) const;  // case-insensitive
  const std::vector<std::string>& auth_mechanisms() const { return auth_; }
  // Each extension line as announced (keyword upper-cased, parameters verbatim), e.g. "SIZE 10240000": for Ping JSON.
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> keywords_;  // upper-case
  std::vector<std::string> lines_;
  std::vector<std::string> auth_;
  std::optional<std::uint64_t> size_;
};

}  // namespace emailv2::smtp
