// Send Email end to end (CONTRACT §3.0, §3.2): the real emailv2 binary against the mail lab (submission port,
// STARTTLS + AUTH PLAIN), the delivered copies read back over IMAP and checked header by header.
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <random>

#include "core/text.h"
#include "core/time_format.h"
#include "mime/digest.h"
#include "send_lab_support.h"
#include "store/database.h"
#include "store/sent_message_repository.h"

namespace emailv2::testing::send_lab {
namespace {

bool has_in_order(const std::vector<std::string>& names, const std::vector<std::string>& wanted) {
  std::size_t i = 0;
  for (const std::string& n : names) {
    if (i < wanted.size() && n == wanted[i]) ++i;
  }
  return i == wanted.size();
}

class SendEmailLab : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!lab_available()) GTEST_SKIP() << "EMAILV2_LAB_DIR not set";
  }
  Lab lab_;
};

TEST_F(SendEmailLab, ToCcBccDeliveryWithBccOnlyInTheEnvelope) {
  const std::string subject = "to-cc-bcc " + unique_id("s");
  const auto r =
      lab_.run({"send-email", "--recipients", address(1), "--cc", "Bob <" + address(2) + ">", "--bcc", address(3),
                "--subject", subject, "--content", "<p>three ways</p>", "--return-message-id-for-the-sent-email"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto env = r.envelope();
  const std::string id = env["json_result"]["message_id"];
  EXPECT_EQ(env["output_message"], "Mail sent successfully. Mail message ID is: " + id);
  EXPECT_EQ(env["json_result"]["recipients"], address(1));
  EXPECT_TRUE(RE2::FullMatch(id, R"(<[0-9a-f]{32}\.[0-9]{10}@lab\.test>)")) << id;  // the sender's domain, no host

  for (int user : {1, 2, 3}) {
    SCOPED_TRACE("user " + std::to_string(user));
    const std::string raw = read_back(user, id);
    ASSERT_FALSE(raw.empty()) << "not delivered";
    const auto names = header_names(raw);
    EXPECT_TRUE(has_in_order(names, {"Date", "From", "To", "Cc", "Subject", "Message-ID", "MIME-Version"}))
        << header_section(raw);
    for (const std::string& n : names) EXPECT_FALSE(text::iequals_ascii(n, "Bcc")) << header_section(raw);
    const mime::Message m = mime::parse_message(raw);
    EXPECT_EQ(m.raw_subject, subject);
    EXPECT_EQ(m.from, (std::vector<mime::Address>{{"SOC Team", "soc@lab.test"}}));
    EXPECT_EQ(m.to, (std::vector<mime::Address>{{"", address(1)}}));
    EXPECT_EQ(m.cc, (std::vector<mime::Address>{{"", address(2)}}));
    EXPECT_TRUE(m.bcc.empty());
    ASSERT_TRUE(m.date_ms.has_value());
    const auto now = epoch_ms(std::chrono::system_clock::now());
    EXPECT_LT(std::llabs(*m.date_ms - now), 300'000) << *m.date_header;
    EXPECT_EQ(rfc3339_utc(from_epoch_ms(*m.date_ms)), env["json_result"]["date"]);
    if (user != 3) {
      EXPECT_EQ(header_section(raw).find(address(3)), std::string::npos) << "the Bcc address leaked";
    }
  }
}

TEST_F(SendEmailLab, NonAsciiSubjectNameAndFileNameRoundTripWithByteIdenticalAttachments) {
  lab_.display_name = "Сергей Müller \"SOC\"";
  std::mt19937 rng(42);
  std::string blob(200 * 1024, '\0');
  for (char& c : blob) c = static_cast<char>(rng() & 0xFF);
  const std::string file_name = "Прайс 2024 € (final).bin";
  write_file(lab_.dir.path() / file_name, blob);
  write_file(lab_.dir.path() / "dots.txt", ".\r\n..\r\n.leading dot\r\nFrom here\r\n");
  const std::string subject = "Отчёт — 検査 ✓ Grüße " + unique_id("u");
  const std::string html = "<p>Hello <b>world</b></p>\n.\n<p>.second</p>";
  const auto r = lab_.run({"send-email", "--recipients", address(1), "--subject", subject, "--content", html,
                           "--attachments-paths", file_name + ",dots.txt", "--return-message-id-for-the-sent-email"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string id = r.envelope()["json_result"]["message_id"];
  const std::string raw = read_back(1, id);
  ASSERT_FALSE(raw.empty());
  EXPECT_NE(raw.find("multipart/alternative"), std::string::npos);
  const mime::Message m = mime::parse_message(raw);
  EXPECT_EQ(m.raw_subject, subject);
  ASSERT_EQ(m.from.size(), 1u);
  EXPECT_EQ(m.from[0].name, "Сергей Müller \"SOC\"");
  EXPECT_EQ(m.html_body, html);
  EXPECT_NE(m.text_body.find("Hello world"), std::string::npos) << m.text_body;
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].name, file_name);
  EXPECT_EQ(m.attachments[0].sha256, mime::sha256_hex(blob));
  EXPECT_EQ(m.attachments[1].name, "dots.txt");
  EXPECT_EQ(m.attachments[1].sha256, mime::sha256_hex(read_file(lab_.dir.path() / "dots.txt")));
  // Headers are 7-bit: RFC 2047 words and RFC 2231 parameters, no raw UTF-8.
  for (char c : header_section(raw)) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
}

TEST_F(SendEmailLab, RecordsSentMessageForWait) {
  const auto r = lab_.run({"send-email", "--recipients", address(1) + ";" + address(2), "--subject", "for wait",
                           "--content", "c", "--return-message-id-for-the-sent-email"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string id = r.envelope()["json_result"]["message_id"];
  auto db = store::Database::open(lab_.store());
  ASSERT_TRUE(db) << db.error().to_string();
  auto row = store::SentMessageRepository(*db).find(id);
  ASSERT_TRUE(row && row->has_value());
  EXPECT_EQ((*row)->to, (std::vector<std::string>{address(1), address(2)}));
  EXPECT_EQ((*row)->action, "send-email");
  EXPECT_EQ(r.envelope()["json_result"]["recipients"], address(1) + "," + address(2));
}

TEST_F(SendEmailLab, PasswordNeverInTraceLogs) {
  const auto r = lab_.run(
      {"send-email", "--log-level", "trace", "--recipients", address(1), "--subject", "trace", "--content", "c"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string pass = lab("LAB_PASS4");
  const std::string user = lab("LAB_USER4");
  EXPECT_EQ(r.err.find(pass), std::string::npos);
  EXPECT_EQ(r.out.find(pass), std::string::npos);
  const std::string plain = text::base64_encode(std::string(1, '\0') + user + std::string(1, '\0') + pass);
  EXPECT_EQ(r.err.find(plain), std::string::npos);
  EXPECT_EQ(r.err.find(text::base64_encode(pass)), std::string::npos);
  EXPECT_NE(r.err.find("AUTH PLAIN <redacted>"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("STARTTLS"), std::string::npos);
  EXPECT_NE(r.err.find("EHLO lab.test"), std::string::npos) << "EHLO must use the sender's domain";
}

TEST_F(SendEmailLab, WrongPasswordIsAuthFailedExit2) {
  const auto r = lab_.run({"send-email", "--recipients", address(1), "--subject", "s", "--content", "c"},
                          {{"EMAILV2_PASSWORD", "wrong"}});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.envelope()["error_code"], "AUTH_FAILED");
  EXPECT_EQ(r.envelope()["output_message"].get<std::string>().rfind(
                "Failed to send email! The Error is AUTH_FAILED: SMTP server rejected AUTH: 535", 0),
            0u)
      << r.out;
}

TEST_F(SendEmailLab, SmtpsImplicitTlsAndParamsJson) {
  write_file(lab_.dir.path() / "params.json", nlohmann::json{{"Recipients", address(2)},
                                                             {"Subject", "json"},
                                                             {"Content", "<i>c</i>"},
                                                             {"Return message id for the sent email", true}}
                                                  .dump());
  // Implicit TLS on the SMTPS port instead of STARTTLS.
  const auto r = [&] {
    lab_.write_config();
    std::string cfg = read_file(lab_.dir.path() / "emailv2.toml");
    const std::string from = "\"SMTP Port\" = " + lab("LAB_SUBMISSION_PORT") + "\n\"SMTP - Use SSL\" = false";
    cfg.replace(cfg.find(from), from.size(),
                "\"SMTP Port\" = " + lab("LAB_SMTPS_PORT") + "\n\"SMTP - Use SSL\" = true");
    write_file(lab_.dir.path() / "custom.toml", cfg);
    ::chmod((lab_.dir.path() / "custom.toml").c_str(), 0600);
    return run_cli(
        {"--config", "custom.toml", "--store", lab_.store().string(), "send-email", "--params-json", "params.json"},
        {{"EMAILV2_PASSWORD", lab("LAB_PASS4")}}, lab_.dir.path());
  }();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_FALSE(read_back(2, r.envelope()["json_result"]["message_id"]).empty());
}

}  // namespace
}  // namespace emailv2::testing::send_lab
