#include "cli_args.hpp"

#include <cstdlib>

namespace docklink::samples {

CliArgs::CliArgs(int argc, char** argv, const std::vector<OptionSpec>& specs) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_inline_value = false;
    std::size_t equals = name.find('=');
    if (equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
      has_inline_value = true;
    }
    const OptionSpec* spec = nullptr;
    for (const auto& candidate : specs) {
      if (candidate.name == name) spec = &candidate;
    }
    if (spec == nullptr) {
      error_ = "unknown option --" + name;
      return;
    }
    if (spec->takes_value && !has_inline_value) {
      if (i + 1 >= argc) {
        error_ = "option --" + name + " needs a value";
        return;
      }
      value = argv[++i];
    } else if (!spec->takes_value && has_inline_value) {
      error_ = "option --" + name + " takes no value";
      return;
    }
    values_[name] = value;
  }
}

std::string CliArgs::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

long long CliArgs::get_int(const std::string& name, long long fallback, bool& ok) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  char* end = nullptr;
  long long value = std::strtoll(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0') ok = false;
  return value;
}

double CliArgs::get_double(const std::string& name, double fallback, bool& ok) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  char* end = nullptr;
  double value = std::strtod(it->second.c_str(), &end);
  if (it->second.empty() || *end != '\0') ok = false;
  return value;
}

std::string usage_text(const std::vector<OptionSpec>& specs) {
  std::string text;
  for (const auto& spec : specs) {
    std::string left = "  --" + spec.name + (spec.takes_value ? " VALUE" : "");
    if (left.size() < 26) left.resize(26, ' ');
    text += left + " " + spec.help + "\n";
  }
  return text;
}

}  // namespace docklink::samples
