#pragma once
// stdout carries only envelopes and command results (CONTRACT §1.6); this is the one place that writes them.

#include <cstdio>
#include <string_view>

#include "actions/action_result.h"

namespace emailv2::app {

// Prints the envelope as one JSON object (indented with `pretty`) and a newline; returns its exit code.
int print_envelope(std::FILE* out, const actions::ActionResult& result, bool pretty);

// Prints text followed by a newline when it does not end with one.
void print_text(std::FILE* out, std::string_view text);

}  // namespace emailv2::app
