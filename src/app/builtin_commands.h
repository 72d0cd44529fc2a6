#pragma once
// `help [command]` and `version`: text on stdout, exit 0.

#include <string>

#include "app/command.h"

namespace emailv2::app {

inline constexpr std::string_view kVersion = "0.1.0";

Command help_command();
Command version_command();

// The overview printed by `emailv2 help`, `emailv2 --help` and on usage errors (to stderr).
std::string overview_help();

}  // namespace emailv2::app
