#pragma once
// Steps 3–4 of Wait For Email From User (CONTRACT §3.4): which confirmed reply answers which recipient.
//
// For each recipient r, in R order: the hits whose From mailboxes include r (ASCII case-insensitive; a hit without
// From is ignored, never a crash), minus the automatic ones when ignore_auto_replies (auto_reply.h), in arrival
// order (reply_scan.h sort_by_arrival). Each candidate is fetched with BODY.PEEK[] and parsed; the first whose
// `body` the exclude pattern does NOT find (RE2 unanchored search) is r's response; its content is the whole body.
// A reply whose From lists several recipients can answer each of them. A message larger than Max Message Size is
// parsed from its header section only (its content is then ""), with a warn.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "actions/reply_scan.h"
#include "actions/wait_params.h"
#include "actions/wait_result.h"
#include "core/deadline.h"
#include "core/result.h"
#include "mail/mail_store.h"
#include "mime/message.h"

namespace emailv2::actions {

// A candidate that was looked at: accepted (the response) or excluded by the pattern.
struct ReplyDecision {
  const ReplyHit* hit = nullptr;
  std::string recipient;
  bool accepted = false;
};

struct SelectedResponses {
  std::vector<RecipientStatus> recipients;  // R order; response set for those answered
  std::vector<ReplyDecision> decisions;     // in the order they were made
  // Parsed candidates by (folder, uid), for the attachments of accepted ones.
  std::map<std::pair<std::string, std::uint32_t>, mime::Message> messages;
};

// `hits` must be sorted by arrival and outlive the result (decisions point into it).
Result<SelectedResponses> select_responses(mail::MailStore& store, const WaitParams& params,
                                           const std::vector<std::string>& recipients,
                                           const std::vector<ReplyHit>& hits, std::uint64_t max_message_bytes,
                                           Deadline deadline);

// The `received` form of an INTERNALDATE: "Mon, 26 Aug 2019 10:20:15 +0000".
std::string received_text(TimePoint internal_date);

}  // namespace emailv2::actions
