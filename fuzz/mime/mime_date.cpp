// Fuzzes the date parser: any accepted date has in-range fields.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mime/date.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  const auto d = emailv2::mime::parse_date(in);
  if (d) {
    if (d->month < 1 || d->month > 12 || d->day < 1 || d->day > 31 || d->hour > 23 || d->minute > 59 ||
        d->second > 59 || d->year < 1900 || d->year > 9999)
      std::abort();
    (void)emailv2::mime::to_epoch_ms(*d);
  }
  return 0;
}
