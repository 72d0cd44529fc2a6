// Where raw parameter values come from: command-line flags and the --params-json document (params.h).
#include <nlohmann/json.hpp>

#include "actions/params.h"
#include "core/param_values.h"
#include "core/text.h"

namespace emailv2::actions {
namespace {

Error unknown_parameter(const ActionSpec& spec, std::string_view key) {
  return Error(ErrorCode::kParamInvalid, "Unknown parameter \"" + text::echo_value(key) + "\" for action \"" +
                                             std::string(spec.name) + "\"");
}

bool is_checkbox_literal(std::string_view token) {
  const std::string v = text::to_lower_ascii(text::trim(token));
  return v == "true" || v == "false" || v == "yes" || v == "no" || v == "1" || v == "0";
}

Error json_invalid(std::string_view what) {
  return param_values::invalid("--params-json", what);
}

// nlohmann's message without its "[json.exception...]" prefix and without the echo of the input ("last read").
std::string json_reason(const nlohmann::json::parse_error& e) {
  std::string_view what = e.what();
  const auto bracket = what.find("] ");
  if (bracket != std::string_view::npos) what.remove_prefix(bracket + 2);
  const auto last_read = what.find("; last read");
  if (last_read != std::string_view::npos) what = what.substr(0, last_read);
  return text::echo_value(what);
}

std::string join_array(const nlohmann::json& array, bool& ok) {
  std::string out;
  for (const auto& item : array) {
    if (!item.is_string()) {
      ok = false;
      return {};
    }
    std::string s = item.get<std::string>();
    const bool quoted = s.size() >= 2 && s.front() == '"' && s.back() == '"';
    if (!quoted && s.find_first_of(",;") != std::string::npos) s = "\"" + s + "\"";
    if (!out.empty()) out += ',';
    out += s;
  }
  ok = true;
  return out;
}

}  // namespace

Result<std::vector<RawParam>> parse_flags(const ActionSpec& spec, const std::vector<std::string>& tokens) {
  std::vector<RawParam> out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    if (token.size() < 3 || token.compare(0, 2, "--") != 0) {
      return fail(ErrorCode::kParamInvalid, "Unexpected argument \"" + text::echo_value(token) + "\" for action \"" +
                                                std::string(spec.name) + "\"");
    }
    const std::string body = token.substr(2);
    const auto eq = body.find('=');
    RawParam raw{body.substr(0, eq), std::nullopt};
    const ParamSpec* param = spec.find(raw.key);
    if (param == nullptr) return fail(unknown_parameter(spec, raw.key));
    if (eq != std::string::npos) {
      raw.value = body.substr(eq + 1);
    } else if (param->type == ParamType::kCheckbox) {
      const bool next_is_value = i + 1 < tokens.size() && is_checkbox_literal(tokens[i + 1]);
      raw.value = next_is_value ? tokens[++i] : std::string("true");
    } else if (i + 1 < tokens.size() && tokens[i + 1].compare(0, 2, "--") != 0) {
      raw.value = tokens[++i];
    } else {
      return fail(param_values::invalid(param->name, "a value is required"));
    }
    out.push_back(std::move(raw));
  }
  return out;
}

Result<std::vector<RawParam>> parse_params_json(std::string_view document) {
  std::vector<std::string> top_keys;
  auto record_keys = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    if (event == nlohmann::json::parse_event_t::key && depth == 1) top_keys.push_back(parsed.get<std::string>());
    return true;
  };
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(document.begin(), document.end(), record_keys);
  } catch (const nlohmann::json::parse_error& e) {
    return fail(json_invalid("invalid JSON at offset " + std::to_string(e.byte) + ": " + json_reason(e)));
  } catch (const nlohmann::json::exception&) {
    // e.g. out_of_range for a number too large for a double: still invalid input, not a bug.
    return fail(json_invalid("invalid JSON: a number is out of range"));
  }
  if (!root.is_object()) return fail(json_invalid("expected a JSON object"));

  // Exact duplicate keys collapse in the parsed object, so the raw key list (in document order) is the source.
  std::vector<RawParam> out;
  for (const std::string& key : top_keys) {
    const nlohmann::json& v = root.at(key);
    RawParam raw{key, std::nullopt};
    if (v.is_string()) {
      raw.value = v.get<std::string>();
    } else if (v.is_boolean()) {
      raw.value = v.get<bool>() ? "true" : "false";
    } else if (v.is_number_integer() || v.is_number_unsigned()) {
      raw.value = v.dump();
    } else if (v.is_number_float()) {
      raw.value = v.dump();
    } else if (v.is_array()) {
      bool ok = false;
      raw.value = join_array(v, ok);
      if (!ok) return fail(param_values::invalid(key, "expected a string, boolean, number or array of strings"));
    } else if (!v.is_null()) {
      return fail(param_values::invalid(key, "expected a string, boolean, number or array of strings"));
    }
    out.push_back(std::move(raw));
  }
  return out;
}

}  // namespace emailv2::actions
