#pragma once
// RFC 5322 address lists (From, To, Cc, Bcc, Reply-To): groups flattened, display names RFC 2047-decoded, obsolete
// forms (routes, CFWS inside addr-specs, `Name.<addr>`) accepted. Pure; never fails.
//
// An ambiguous token such as `a@x(<b@y>` yields the single addr-spec a strict parse accepts (`a@x`: the `(` opens a
// comment) plus a warning; so do unterminated quotes, comments and angle brackets.

#include <string_view>
#include <vector>

#include "mime/message.h"

namespace emailv2::mime {

struct AddressList {
  std::vector<Address> addresses;  // header order; entries without an addr-spec are dropped
  bool truncated = false;          // more than limits::kAddressesPerHeader
};

AddressList parse_address_list(std::string_view value, std::vector<std::string>& warnings);

}  // namespace emailv2::mime
