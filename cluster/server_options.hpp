#pragma once

#include "edge/server_options.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace leasehold::cluster {

/// Looks up an environment variable; none if unset.
using env_lookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment (getenv).
env_lookup process_env();

/// The outcome of parsing the command line of `leasehold`.
struct parsed_command {
  enum class action { serve, help, fail };
  action what = action::fail;
  edge::server_options options; // valid for `serve`
  std::string text;             // help text for `help`, the error message for `fail`
  int exit_code = 0;            // 0 for help, 2 for usage errors
};

/// Parses `args` (argv without the program name): `serve [flags]`, `--help`, `serve --help`.
/// Each flag may also come from `LEASEHOLD_<NAME>` in `env` (`--access-token-ttl` ->
/// LEASEHOLD_ACCESS_TOKEN_TTL); the command line wins. Flags take `--name value` or
/// `--name=value`; booleans are `--demo` / `--no-demo` (env: true/false/1/0/yes/no).
/// Unknown flags and bad values fail with exit code 2. Production mode refuses a missing or
/// short operator key and a missing signing key (exit code 2).
parsed_command parse_command_line(const std::vector<std::string>& args, const env_lookup& env);

/// The help text of `leasehold` (`top_level`) or `leasehold serve`.
std::string help_text(bool top_level);

/// Minimum length of the operator key in production mode.
constexpr size_t min_operator_key_length = 32;

} // namespace leasehold::cluster
