#include "core/secret.h"

#include "core/redactor.h"

namespace emailv2 {

Secret::Secret(std::string value) : value_(std::move(value)) { redactor::add(value_); }

}  // namespace emailv2
