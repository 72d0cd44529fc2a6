#pragma once
// The Mail Objects (CONTRACT §4) the mailbox actions return: fetched with BODY.PEEK[] only (never \Seen; over Max
// Message Size: the header section only, `over_limit: true`), parsed by mime::parse_message, keyed by UID.

#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/deadline.h"
#include "core/result.h"
#include "mail/integration_config.h"
#include "mail/mail_store.h"
#include "mime/mail_object.h"

namespace emailv2::actions::mailbox {

using MailObjects = std::map<std::uint32_t, nlohmann::ordered_json>;

// The §4 context of a fetched message: UID, folder, INTERNALDATE (Date fallback and `received`, shown at +0000),
// flags, RFC822.SIZE; mailbox = Sender's Address; environment null.
mime::MailContext mail_context(const mail::MessageMetadata& metadata, std::string_view folder,
                               std::string_view mailbox, bool over_limit);

// Mail Objects of the UIDs that still exist in `folder` (vanished ones are absent and logged by the store).
Result<MailObjects> fetch_mail_objects(mail::MailStore& store, const mail::IntegrationConfig& config,
                                       std::string_view folder, const std::vector<std::uint32_t>& uids,
                                       Deadline deadline);

}  // namespace emailv2::actions::mailbox
