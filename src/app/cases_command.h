#pragma once
// `emailv2 cases list [--limit N] [--offset N] | show ID | attachment ID --out FILE` (CONTRACT §5.6): reads the
// case store, never creates it. Results are JSON on stdout (`--pretty` indents); errors are an envelope with the
// error's exit code (`Case <id> not found in the case store`: 64).

#include "app/command.h"

namespace emailv2::app {

Command cases_command();

}  // namespace emailv2::app
