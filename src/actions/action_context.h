#pragma once
// What every action run receives besides its parameters: the validated integration configuration, the case store
// location and context ids, the run's deadline and the clock. Built by the app's action runner; valid for the run.

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/deadline.h"
#include "mail/integration_config.h"

namespace emailv2::actions {

struct ActionContext {
  const mail::IntegrationConfig& config;
  std::string store_path;               // --store / EMAILV2_STORE / Store Path / ./emailv2.sqlite
  std::optional<std::int64_t> case_id;  // already checked to exist in the store
  std::optional<std::string> alert_id;
  Deadline deadline;                    // --timeout for this run (one poll with --until-done)
  const Clock& clock;
};

}  // namespace emailv2::actions
