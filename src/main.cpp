#include "app/run.h"

int main(int argc, char** argv) { return emailv2::app::run(argc, argv); }
