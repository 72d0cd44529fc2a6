// Parameters of the three sending actions (CONTRACT §1.2, §3.2, §3.3, §3.10, §6.2): names, aliases, defaults,
// mandatory values, and the control-characters rule. Every CR/LF/NUL payload — given as a flag or JSON-encoded in
// --params-json — in every header-bound field ends the run with exit 64 before the action (and any connection)
// starts. Look-alikes that are not control characters (%0D%0A, =0D=0A, \r as two characters, U+2028...) are sent
// verbatim and can never become a header line.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "actions/forward_email.h"
#include "actions/send_email.h"
#include "actions/send_thread_reply.h"
#include "core/text.h"
#include "mime/parse_message.h"
#include "send_fixture.h"

namespace emailv2::actions::send_test {
namespace {

// At least 50 hostile values built around `base` (a valid value for the field): every control character of the
// rule, alone and in header/SMTP injection shapes, at the start, in the middle and at the end.
std::vector<std::string> control_payloads(const std::string& base) {
  const std::vector<std::string> controls{
      "\r",       "\n",    "\r\n",   std::string(1, '\0'),    "\n\r", "\r\r", "\n\n",
      "\r\n\r\n", "\r\n ", "\r\n\t", std::string("\0\r\n", 3)};
  std::vector<std::string> out;
  for (const std::string& c : controls) {
    out.push_back(c + base);
    out.push_back(base + c);
    out.push_back(base.substr(0, base.size() / 2) + c + base.substr(base.size() / 2));
  }
  const std::vector<std::string> injections{
      "\r\nBcc: evil@attacker.test",
      "\nBcc: evil@attacker.test",
      "\rBcc: evil@attacker.test",
      "\r\nTo: evil@attacker.test",
      "\r\nCc: evil@attacker.test",
      "\r\nSubject: replaced",
      "\r\nContent-Type: text/html",
      "\r\nX-Injected: 1\r\n\r\n<script>alert(1)</script>",
      "\r\n.\r\nMAIL FROM:<evil@attacker.test>\r\nRCPT TO:<victim@lab.test>\r\nDATA\r\n",
      "\r\nRCPT TO:<evil@attacker.test>",
      "\nRCPT TO:<evil@attacker.test>",
      "\r\nRSET\r\nQUIT",
      "\r\nA1 LOGOUT",
      "\r\nA1 UID STORE 1:* +FLAGS (\\Deleted)",
      "\" \"x\"\r\nA2 EXPUNGE",
      std::string("\0", 1) + "\r\nBcc: evil@attacker.test",
      std::string("\0", 1) + "hidden",
      "\r\n\r\nbody starts here",
      "\n\n",
      "\r",
  };
  for (const std::string& i : injections) out.push_back(base + i);
  return out;
}

struct Field {
  const ActionSpec& (*spec)();
  std::string name;  // D display name (messages, JSON key)
  std::string base;  // a valid value
};

std::vector<Field> header_bound_fields() {
  return {
      {&send_email_spec, "Recipients", "alice@lab.test"},
      {&send_email_spec, "CC", "bob@lab.test"},
      {&send_email_spec, "Bcc", "carol@lab.test"},
      {&send_email_spec, "Subject", "Quarterly report"},
      {&forward_email_spec, "Message ID of the email to forward", "<orig-1@lab.test>"},
      {&forward_email_spec, "Folder Name", "Inbox"},
      {&forward_email_spec, "Recipients", "alice@lab.test"},
      {&forward_email_spec, "CC", "bob@lab.test"},
      {&forward_email_spec, "BCC", "carol@lab.test"},
      {&forward_email_spec, "Subject", "FW: report"},
      {&send_thread_reply_spec, "Message ID", "<orig-1@lab.test>"},
      {&send_thread_reply_spec, "Folder Name", "Inbox"},
      {&send_thread_reply_spec, "Reply To", "alice@lab.test"},
  };
}

// The other mandatory parameters of the field's action, valid.
Flags valid_rest(const ActionSpec& spec, const std::string& except) {
  Flags all;
  if (spec.command == "send-email") {
    all = {{"recipients", "alice@lab.test"}, {"subject", "s"}, {"content", "<p>c</p>"}};
  } else if (spec.command == "forward-email") {
    all = {{"message-id-of-the-email-to-forward", "<orig-1@lab.test>"},
           {"recipients", "alice@lab.test"},
           {"subject", "s"}};
  } else {
    all = {{"message-id", "<orig-1@lab.test>"}, {"content", "<p>c</p>"}};
  }
  Flags out;
  for (auto& [k, v] : all) {
    if (k != text::normalise_name(except)) out.emplace_back(k, v);
  }
  return out;
}

class SendParams : public SendActionTest {
 protected:
  ActionResult run_spec(const ActionSpec& spec, const Flags& flags, const std::string& json = "") {
    if (spec.command == "send-email") return run(spec, &send_email, flags, json);
    if (spec.command == "forward-email") return run(spec, &forward_email, flags, json);
    return run(spec, &send_thread_reply, flags, json);
  }
};

TEST_F(SendParams, ControlCharactersInEveryHeaderBoundFieldAreExit64BeforeAnyConnection) {
  std::size_t checked = 0;
  for (const Field& f : header_bound_fields()) {
    const ActionSpec& spec = f.spec();
    const auto payloads = control_payloads(f.base);
    ASSERT_GE(payloads.size(), 50u);
    for (const std::string& p : payloads) {
      for (bool as_json : {false, true}) {
        Flags flags = valid_rest(spec, f.name);
        std::string json;
        if (as_json) {
          json = nlohmann::json{{f.name, p}}.dump();  // CR, LF, NUL travel JSON-escaped (\r \n \u0000)
        } else {
          flags.emplace_back(text::normalise_name(f.name), p);
        }
        const ActionResult r = run_spec(spec, flags, json);
        SCOPED_TRACE(std::string(spec.command) + " " + f.name + " " + text::echo_value(p) +
                     (as_json ? " (json)" : " (flag)"));
        EXPECT_EQ(r.exit_code(), 64);
        EXPECT_EQ(r.error_code, ErrorCode::kParamInvalid);
        EXPECT_EQ(r.output_message,
                  "Invalid value for parameter \"" + f.name + "\": control characters (CR, LF, NUL) are not allowed");
        ++checked;
      }
    }
  }
  EXPECT_EQ(smtp_connections_, 0);
  EXPECT_EQ(memory_->connections(), 0u);
  EXPECT_TRUE(smtp_.written().empty());
  EXPECT_GE(checked, 13u * 100u);
}

TEST_F(SendParams, LookAlikesAreSentVerbatimAndNeverBecomeHeaderLines) {
  const std::vector<std::string> look_alikes{
      "%0D%0ABcc: evil@attacker.test",
      "%0d%0aBcc:%20evil@attacker.test",
      "=0D=0ABcc: evil@attacker.test",
      "=?utf-8?q?x=0D=0ABcc:_evil@attacker.test?=",
      "=?utf-8?b?eA0KQmNjOiBldmlsQGF0dGFja2VyLnRlc3Q=?=",
      "\\r\\nBcc: evil@attacker.test",
      "&#13;&#10;Bcc: evil@attacker.test",
      "\u2028Bcc: evil@attacker.test",
      "\u2029Bcc: evil@attacker.test",
      "\u0085Bcc: evil@attacker.test",
      "\u000bBcc: vertical tab",
      "\u000cBcc: form feed",
      "\tBcc: tab",
      "\u001bBcc: escape",
      "x\u007fBcc: del",
  };
  for (const std::string& subject : look_alikes) {
    SCOPED_TRACE(text::echo_value(subject));
    smtp_ = testing::FakeTransport();
    smtp_plays(accepting_server(1));
    const ActionResult r =
        run(send_email_spec(), &send_email, {{"recipients", "alice@lab.test"}, {"subject", subject}, {"content", "c"}});
    ASSERT_EQ(r.exit_code(), 0) << r.output_message;
    const std::string headers = sent_headers();
    EXPECT_EQ(headers.find("\nBcc:"), std::string::npos) << headers;
    EXPECT_EQ(headers.find("\nbcc:"), std::string::npos) << headers;
    // Only our own header fields start a line (continuation lines start with white space).
    std::size_t pos = 0;
    while (pos < headers.size()) {
      const std::size_t eol = headers.find("\r\n", pos);
      const std::string line = headers.substr(pos, eol - pos);
      pos = eol + 2;
      if (line.empty() || line[0] == ' ' || line[0] == '\t') continue;
      const std::string name = line.substr(0, line.find(':'));
      EXPECT_TRUE(name == "Date" || name == "From" || name == "To" || name == "Subject" || name == "Message-ID" ||
                  name == "MIME-Version" || name == "Content-Type" || name == "Content-Transfer-Encoding")
          << "unexpected header line: " << text::echo_value(line);
    }
    EXPECT_EQ(smtp_.written().find("RCPT TO:<evil@attacker.test>"), std::string::npos);
    // Printable look-alikes come back exactly as typed: an encoded-word look-alike is itself encoded, so a reader
    // never decodes it into something else.
    if (subject.find_first_of("\t\x0b\x0c\x1b\x7f") == std::string::npos && !subject.starts_with("\xc2\x85")) {
      EXPECT_EQ(mime::parse_message(sent_message()).raw_subject, subject);
    }
  }
}

TEST_F(SendParams, MandatoryAndTypeErrors) {
  struct Row {
    const ActionSpec& (*spec)();
    Flags flags;
    std::string message;
    ErrorCode code;
  };
  const std::vector<Row> rows{
      {&send_email_spec,
       {{"subject", "s"}, {"content", "c"}},
       "Missing mandatory parameter Recipients",
       ErrorCode::kParamMissing},
      {&send_email_spec,
       {{"recipients", "a@lab.test"}, {"content", "c"}},
       "Missing mandatory parameter Subject",
       ErrorCode::kParamMissing},
      {&send_email_spec,
       {{"recipients", "a@lab.test"}, {"subject", "s"}},
       "Missing mandatory parameter Content",
       ErrorCode::kParamMissing},
      {&send_email_spec,
       {{"recipients", "  "}, {"subject", "s"}, {"content", "c"}},
       "Missing mandatory parameter Recipients",
       ErrorCode::kParamMissing},
      {&send_email_spec,
       {{"recipients", "not-an-address"}, {"subject", "s"}, {"content", "c"}},
       "Invalid email address \"not-an-address\" in parameter \"Recipients\"",
       ErrorCode::kParamInvalid},
      {&send_email_spec,
       {{"recipients", "a@lab.test"}, {"cc", "b@lab.test, <x"}, {"subject", "s"}, {"content", "c"}},
       "Invalid email address \"<x\" in parameter \"CC\"",
       ErrorCode::kParamInvalid},
      {&send_email_spec,
       {{"recipients", "a@lab.test"}, {"bcc", "a@@b"}, {"subject", "s"}, {"content", "c"}},
       "Invalid email address \"a@@b\" in parameter \"Bcc\"",
       ErrorCode::kParamInvalid},
      {&send_email_spec,
       {{"recipients", "a@lab.test"},
        {"subject", "s"},
        {"content", "c"},
        {"return-message-id-for-the-sent-email", "maybe"}},
       "Invalid value for parameter \"Return message id for the sent email\": expected true or false, got \"maybe\"",
       ErrorCode::kParamInvalid},
      {&send_email_spec,
       {{"recipients", "a@lab.test"}, {"subject", "s"}, {"content", "c"}, {"to", "x@lab.test"}},
       "Unknown parameter \"to\" for action \"Send Email\"",
       ErrorCode::kParamInvalid},
      {&forward_email_spec,
       {{"recipients", "a@lab.test"}, {"subject", "s"}},
       "Missing mandatory parameter Message ID of the email to forward",
       ErrorCode::kParamMissing},
      {&forward_email_spec,
       {{"message-id-of-the-email-to-forward", "<x@y>"}, {"subject", "s"}},
       "Missing mandatory parameter Recipients",
       ErrorCode::kParamMissing},
      {&forward_email_spec,
       {{"message-id-of-the-email-to-forward", "<x@y>"}, {"recipients", "a@lab.test"}},
       "Missing mandatory parameter Subject",
       ErrorCode::kParamMissing},
      {&send_thread_reply_spec, {{"content", "c"}}, "Missing mandatory parameter Message ID", ErrorCode::kParamMissing},
      {&send_thread_reply_spec,
       {{"message-id", "<x@y>"}},
       "Missing mandatory parameter Content",
       ErrorCode::kParamMissing},
      {&send_thread_reply_spec,
       {{"message-id", "<x@y>"}, {"content", "c"}, {"reply-all", "sometimes"}},
       "Invalid value for parameter \"Reply All\": expected true or false, got \"sometimes\"",
       ErrorCode::kParamInvalid},
      {&send_thread_reply_spec,
       {{"message-id", "<x@y>"}, {"content", "c"}, {"reply-to", "a@lab.test;b"}},
       "Invalid email address \"b\" in parameter \"Reply To\"",
       ErrorCode::kParamInvalid},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.message);
    const ActionResult r = run_spec(row.spec(), row.flags);
    EXPECT_EQ(r.exit_code(), 64);
    EXPECT_EQ(r.output_message, row.message);
    EXPECT_EQ(r.error_code, row.code);
  }
  EXPECT_EQ(smtp_connections_, 0);
  EXPECT_EQ(memory_->connections(), 0u);
}

TEST_F(SendParams, RecipientCapIsOneThousandPerList) {
  std::string list;
  for (int i = 0; i < 1001; ++i) list += (i ? "," : "") + std::string("u") + std::to_string(i) + "@lab.test";
  const ActionResult r =
      run(send_email_spec(), &send_email, {{"recipients", list}, {"subject", "s"}, {"content", "c"}});
  EXPECT_EQ(r.exit_code(), 64);
  EXPECT_EQ(r.output_message, "Invalid value for parameter \"Recipients\": at most 1000 items are allowed, got 1001");
}

TEST_F(SendParams, LegacyNamesAndDefaults) {
  // O's names are accepted as flags and JSON keys.
  auto send = resolve_params(send_email_spec(), {{"recipients", "a@lab.test"}, {"subject", "s"}, {"content", "c"}},
                             R"({"BCC": "b@lab.test", "Attachment Paths": "/tmp/x"})");
  ASSERT_TRUE(send) << send.error().to_string();
  EXPECT_EQ(send->list("Bcc"), std::vector<std::string>{"b@lab.test"});
  EXPECT_EQ(send->list("Attachments Paths"), std::vector<std::string>{"/tmp/x"});
  EXPECT_FALSE(send->checkbox("Return message id for the sent email"));

  auto fwd = resolve_params(forward_email_spec(), {{"recipients", "a@lab.test"}, {"subject", "s"}},
                            R"({"Message ID of email to forward": "<x@y>", "Attachments Paths": "a, \"b,c\""})");
  ASSERT_TRUE(fwd) << fwd.error().to_string();
  EXPECT_EQ(*fwd->string("Message ID of the email to forward"), "<x@y>");
  EXPECT_EQ(fwd->list("Folder Name"), std::vector<std::string>{"Inbox"});
  EXPECT_EQ(fwd->list("Attachment Paths"), (std::vector<std::string>{"a", "b,c"}));
  EXPECT_FALSE(fwd->provided("Content"));

  auto reply = resolve_params(send_thread_reply_spec(), {{"message-id", "<x@y>"}, {"content", "  <p>kept</p>  "}});
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_TRUE(reply->checkbox("Reply All"));
  EXPECT_EQ(reply->list("Folder Name"), std::vector<std::string>{"Inbox"});
  EXPECT_EQ(*reply->string("Content"), "  <p>kept</p>  ");  // Content is never trimmed
}

TEST_F(SendParams, AddressListsSplitOnCommaAndSemicolon) {
  auto p = resolve_params(
      send_email_spec(),
      {{"recipients", "a@lab.test; \"Doe, J\" <j@lab.test>,B <b@lab.test>"}, {"subject", "s"}, {"content", "c"}});
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(p->list("Recipients"), (std::vector<std::string>{"a@lab.test", "j@lab.test", "b@lab.test"}));
}

}  // namespace
}  // namespace emailv2::actions::send_test
