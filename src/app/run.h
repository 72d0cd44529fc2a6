#pragma once
// The emailv2 entry point: parses the command line, loads configuration, runs one command, returns the exit code.

namespace emailv2::app {

int run(int argc, char** argv);

}  // namespace emailv2::app
