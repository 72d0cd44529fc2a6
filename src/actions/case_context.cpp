#include "actions/case_context.h"

#include <cstdint>
#include <filesystem>

#include "core/param_values.h"
#include "core/text.h"
#include "store/case_repository.h"

namespace emailv2::actions {
namespace {

Error not_found(std::string_view case_id) {
  return Error(ErrorCode::kParamInvalid, "Case " + text::echo_value(text::trim(case_id)) + " not found in the case store");
}

}  // namespace

Result<store::CaseId> parse_case_id(std::string_view text) {
  return param_values::parse_integer("--case-id", text, 1, INT64_MAX);
}

Result<store::CaseId> require_case(store::Database& db, std::string_view case_id) {
  auto id = parse_case_id(case_id);
  if (!id) return fail(id.error());
  store::CaseRepository cases(db);
  auto exists = cases.exists(*id);
  if (!exists) return fail(exists.error());
  if (!*exists) return fail(not_found(case_id));
  return *id;
}

Result<store::CaseId> require_case(const std::string& store_path, std::string_view case_id) {
  auto id = parse_case_id(case_id);
  if (!id) return fail(id.error());
  std::error_code ec;
  if (!std::filesystem::exists(store_path, ec)) return fail(not_found(case_id));
  store::OpenOptions options;
  options.create_if_missing = false;
  auto db = store::Database::open(store_path, options);
  if (!db) return fail(db.error());
  return require_case(*db, case_id);
}

}  // namespace emailv2::actions
