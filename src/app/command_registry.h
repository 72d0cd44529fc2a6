#pragma once
// The commands the binary offers, in help order. Only commands that really exist are listed.

#include <string_view>
#include <vector>

#include "app/command.h"

namespace emailv2::app {

const std::vector<Command>& commands();
// By canonical name, D name or alias, after normalisation (`"Send Email"` finds send-email); nullptr if unknown.
const Command* find_command(std::string_view typed);

}  // namespace emailv2::app
