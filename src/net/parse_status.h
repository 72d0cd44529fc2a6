#pragma once
// The outcome of feeding bytes to one of net/'s pure reply parsers.

namespace emailv2::net {

enum class ParseStatus { kDone, kNeedMore, kError };

}  // namespace emailv2::net
