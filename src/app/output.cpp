#include "app/output.h"

#include <string>

namespace emailv2::app {

int print_envelope(std::FILE* out, const actions::ActionResult& result, bool pretty) {
  print_text(out, result.render(pretty));
  std::fflush(out);
  return result.exit_code();
}

void print_text(std::FILE* out, std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), out);
  if (text.empty() || text.back() != '\n') std::fputc('\n', out);
}

}  // namespace emailv2::app
