#include "smtp/sasl.h"

#include "core/text.h"

namespace emailv2::smtp {

Result<std::string> choose_auth_mechanism(const Extensions& extensions, bool xoauth2, std::string_view endpoint) {
  if (xoauth2 && extensions.supports_auth("XOAUTH2")) return std::string("XOAUTH2");
  if (!xoauth2) {
    for (const char* mech : {"PLAIN", "LOGIN"}) {
      if (extensions.supports_auth(mech)) return std::string(mech);
    }
  }
  std::string offered;
  for (const auto& m : extensions.auth_mechanisms()) offered += (offered.empty() ? "" : " ") + m;
  return fail(ErrorCode::kAuthFailed, "SMTP server " + std::string(endpoint) +
                                          " offers no usable AUTH mechanism (wanted " +
                                          (xoauth2 ? "XOAUTH2" : "PLAIN or LOGIN") + ", offered " +
                                          (offered.empty() ? "none" : text::server_text(offered)) + ")");
}

std::string plain_payload(std::string_view username, std::string_view password) {
  std::string raw;
  raw.reserve(username.size() + password.size() + 2);
  raw += '\0';
  raw += username;
  raw += '\0';
  raw += password;
  return text::base64_encode(raw);
}

std::string xoauth2_payload(std::string_view username, std::string_view token) {
  std::string raw = "user=";
  raw += username;
  raw +=
      "\x01"
      "auth=Bearer ";
  raw += token;
  raw += "\x01\x01";
  return text::base64_encode(raw);
}

}  // namespace emailv2::smtp
