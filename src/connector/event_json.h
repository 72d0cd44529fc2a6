#pragma once
// The stored text of an event's fields, made on the connector's preparing workers: byte for byte what
// store::event_fields_json (nlohmann's compact dump, invalid UTF-8 replaced) gives, faster for what events are —
// flat objects of mostly long, valid UTF-8 strings (bodies), which are checked once and escaped run by run instead of
// being decoded character by character. Anything else (a key or string that is not valid UTF-8, a non-string value)
// is left to nlohmann, so the output never differs (tests/unit/connector/event_json_test.cpp compares both).

#include <string>

#include <nlohmann/json.hpp>

namespace emailv2::connector {

std::string event_json(const nlohmann::ordered_json& fields);

}  // namespace emailv2::connector
