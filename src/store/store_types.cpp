#include "store/store_types.h"

#include <array>
#include <utility>

#include "core/text.h"

namespace emailv2::store {
namespace {

template <typename Enum, std::size_t N>
using Names = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Names<Outcome, 5> kOutcomes{{{Outcome::kAlerted, "alerted"},
                                       {Outcome::kExcluded, "excluded"},
                                       {Outcome::kDuplicate, "duplicate"},
                                       {Outcome::kOverLimit, "over_limit"},
                                       {Outcome::kFetchFailed, "fetch_failed"}}};
constexpr Names<SeenState, 3> kSeenStates{
    {{SeenState::kNotRequested, "not_requested"}, {SeenState::kPending, "pending"}, {SeenState::kDone, "done"}}};
constexpr Names<AlertKind, 4> kAlertKinds{{{AlertKind::kEmail, "email"},
                                           {AlertKind::kOverLimit, "over_limit"},
                                           {AlertKind::kFetchFailed, "fetch_failed"},
                                           {AlertKind::kAttachedMail, "attached_mail"}}};
constexpr Names<AddedBy, 3> kAddedBy{{{AddedBy::kConnector, "connector"},
                                      {AddedBy::kSaveEmailAttachmentsToCase, "save-email-attachments-to-case"},
                                      {AddedBy::kWaitForEmailFromUser, "wait-for-email-from-user"}}};

template <typename Enum, std::size_t N>
std::string_view name_of(const Names<Enum, N>& names, Enum v) {
  for (const auto& [value, text] : names) {
    if (value == v) return text;
  }
  return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const Names<Enum, N>& names, std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Outcome v) { return name_of(kOutcomes, v); }
std::string_view to_string(SeenState v) { return name_of(kSeenStates, v); }
std::string_view to_string(AlertKind v) { return name_of(kAlertKinds, v); }
std::string_view to_string(AddedBy v) { return name_of(kAddedBy, v); }

std::optional<Outcome> parse_outcome(std::string_view text) { return value_of(kOutcomes, text); }
std::optional<SeenState> parse_seen_state(std::string_view text) { return value_of(kSeenStates, text); }
std::optional<AlertKind> parse_alert_kind(std::string_view text) { return value_of(kAlertKinds, text); }
std::optional<AddedBy> parse_added_by(std::string_view text) { return value_of(kAddedBy, text); }

std::string message_id_key(std::string_view message_id) {
  std::string_view id = text::trim(message_id);
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  return std::string(id);
}

}  // namespace emailv2::store
