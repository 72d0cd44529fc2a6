#include "core/config_section.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace emailv2 {
namespace {

constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;

}  // namespace

SecretSource SecretSource::from_value(Secret value, std::string origin) {
  SecretSource s;
  s.kind_ = Kind::kValue;
  s.value_ = std::move(value);
  s.origin_ = std::move(origin);
  return s;
}

SecretSource SecretSource::from_file(std::string path, std::string origin) {
  SecretSource s;
  s.kind_ = Kind::kFile;
  s.path_ = std::move(path);
  s.origin_ = std::move(origin);
  return s;
}

std::string strip_one_line_ending(std::string text) {
  if (text.size() >= 2 && text.compare(text.size() - 2, 2, "\r\n") == 0) {
    text.resize(text.size() - 2);
  } else if (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

Result<Secret> SecretSource::read() const {
  switch (kind_) {
    case Kind::kNone:
      return Secret();
    case Kind::kValue:
      return value_;
    case Kind::kFile:
      break;
  }
  auto failure = [&](std::string_view reason) {
    return fail(ErrorCode::kConfigInvalid,
                "Cannot read secret file " + path_ + " (" + origin_ + "): " + std::string(reason));
  };
  std::error_code ec;
  const auto status = std::filesystem::status(path_, ec);
  if (ec) return failure(ec.message());
  if (!std::filesystem::is_regular_file(status)) return failure("not a regular file");
  errno = 0;
  std::ifstream in(path_, std::ios::binary);
  if (!in) return failure(errno != 0 ? std::strerror(errno) : "cannot open");
  std::string bytes(kMaxSecretFileBytes + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) return failure("read error");
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (bytes.size() > kMaxSecretFileBytes) return failure("larger than 64 KiB");
  return Secret(strip_one_line_ending(std::move(bytes)));
}

const ConfigValue* ConfigSection::find(std::string_view normalised_key) const {
  const auto it = values.find(std::string(normalised_key));
  return it == values.end() ? nullptr : &it->second;
}

const SecretSource* ConfigSection::find_secret(std::string_view normalised_key) const {
  const auto it = secrets.find(std::string(normalised_key));
  return it == secrets.end() ? nullptr : &it->second;
}

}  // namespace emailv2
