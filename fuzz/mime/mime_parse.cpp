// Fuzzes the whole parser (GMime tree, our header parsers, attached mails, .msg sniffing) and the Mail Object:
// never crashes, and the JSON always dumps (every string valid UTF-8).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mime/mail_object.h"
#include "mime/parse_message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  const emailv2::mime::Message msg = emailv2::mime::parse_mail_file(in);
  emailv2::mime::MailContext ctx;
  ctx.raw = in;
  ctx.attach_original = true;
  const std::string json = emailv2::mime::mail_object(msg, ctx).dump();
  for (const auto& am : emailv2::mime::attached_mails(msg))
    (void)emailv2::mime::mail_object(*am.message, emailv2::mime::attached_context(ctx, *am.parent)).dump();
  if (json.empty()) std::abort();
  return 0;
}
