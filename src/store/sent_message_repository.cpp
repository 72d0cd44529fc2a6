#include "store/sent_message_repository.h"

#include <nlohmann/json.hpp>

#include "store/statement.h"

namespace emailv2::store {
namespace {

std::string to_json_array(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<std::vector<std::string>> from_json_array(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& item : j) {
    if (!item.is_string()) return std::nullopt;
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

Status SentMessageRepository::record(WriteTransaction& tx, const SentMessage& m) {
  auto s = Statement::prepare(tx.handle(),
                              "INSERT OR REPLACE INTO sent_message (message_id, raw_message_id, date, \"to\", cc, bcc, "
                              "subject, action, case_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!s) return fail(s.error());
  s->bind_text(1, message_id_key(m.message_id)).bind_text(2, m.message_id).bind_int(3, epoch_ms(m.date));
  s->bind_text(4, to_json_array(m.to)).bind_text(5, to_json_array(m.cc)).bind_text(6, to_json_array(m.bcc));
  s->bind_text(7, m.subject).bind_text(8, m.action).bind_optional_int(9, m.case_id);
  return s->run();
}

Result<std::optional<SentMessage>> SentMessageRepository::find(std::string_view message_id) {
  auto s = Statement::prepare(db_.handle(),
                              "SELECT raw_message_id, date, \"to\", cc, bcc, subject, action, case_id "
                              "FROM sent_message WHERE message_id = ?1");
  if (!s) return fail(s.error());
  s->bind_text(1, message_id_key(message_id));
  auto row = s->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<SentMessage>();
  auto to = from_json_array(s->column_text(2));
  auto cc = from_json_array(s->column_text(3));
  auto bcc = from_json_array(s->column_text(4));
  if (!to || !cc || !bcc) {
    return fail(ErrorCode::kStoreCorrupt,
                "case store " + db_.handle().path() + ": sent_message recipients are not a JSON string array");
  }
  return std::optional<SentMessage>(SentMessage{s->column_text(0), from_epoch_ms(s->column_int(1)), std::move(*to),
                                                std::move(*cc), std::move(*bcc), s->column_text(5), s->column_text(6),
                                                s->column_optional_int(7)});
}

}  // namespace emailv2::store
