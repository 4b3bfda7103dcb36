// A tiny command-line parser shared by the samples: "--name value", "--name=value" and boolean "--flag".
#pragma once

#include <map>
#include <string>
#include <vector>

namespace docklink::samples {

/// One option a program accepts.
struct OptionSpec {
  std::string name;  ///< Without the leading dashes, e.g. "broker".
  bool takes_value;  ///< False for flags such as --json.
  std::string help;  ///< One line for --help.
};

/// The parsed command line.
class CliArgs {
 public:
  /// Parses argv against `specs`; on failure error() says why.
  CliArgs(int argc, char** argv, const std::vector<OptionSpec>& specs);

  /// True when parsing failed.
  bool failed() const { return !error_.empty(); }
  /// Why parsing failed.
  const std::string& error() const { return error_; }
  /// True when the option was given.
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  /// The option's value, or `fallback` when absent.
  std::string get(const std::string& name, const std::string& fallback = {}) const;
  /// The option's value as an integer; `ok` is cleared when it is not one.
  long long get_int(const std::string& name, long long fallback, bool& ok) const;
  /// The option's value as a number; `ok` is cleared when it is not one.
  double get_double(const std::string& name, double fallback, bool& ok) const;
  /// Arguments that are not options, in order.
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
  std::string error_;
};

/// Writes a usage block: one line per option.
std::string usage_text(const std::vector<OptionSpec>& specs);

}  // namespace docklink::samples
