#pragma once
// The `--case-id` rule (CONTRACT §1.1): a case context must exist in the store, else
// `Case <id> not found in the case store` (PARAM_INVALID, exit 64). Actions never create cases, and this check never
// creates a store file: a missing store means the case is not found.

#include <string>
#include <string_view>

#include "core/result.h"
#include "store/database.h"
#include "store/store_types.h"

namespace emailv2::actions {

// Parses the --case-id text: a positive decimal integer, else
// `Invalid value for parameter "--case-id": expected an integer between 1 and <max>, got "<v>"`.
Result<store::CaseId> parse_case_id(std::string_view text);

// Checks the case exists in an open store.
Result<store::CaseId> require_case(store::Database& db, std::string_view case_id);

// Opens the store at `store_path` (without creating it) and checks the case exists.
Result<store::CaseId> require_case(const std::string& store_path, std::string_view case_id);

}  // namespace emailv2::actions
