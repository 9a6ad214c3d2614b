#include "cluster/server_options.hpp"

#include <cctype>
#include <cstdlib>
#include <limits>

namespace leasehold::cluster {

namespace {

using edge::server_options;

// One flag: its name (without "--"), a value placeholder for the help ("" = boolean), the
// help text, and how to store a value (returns an error message or "").
struct flag {
  const char* name;
  const char* value_name;
  const char* help;
  std::function<std::string(server_options&, const std::string&)> apply;
};

std::string parse_u32(const std::string& text, uint32_t min, uint32_t max, uint32_t& out) {
  if (text.empty() || text.size() > 10 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return "expects a whole number";
  }
  auto value = std::stoull(text);
  if (value < min || value > max) {
    return "must be between " + std::to_string(min) + " and " + std::to_string(max);
  }
  out = static_cast<uint32_t>(value);
  return {};
}

std::string parse_seconds(const std::string& text, uint32_t min, uint32_t max,
                          std::chrono::seconds& out) {
  uint32_t secs = 0;
  if (auto err = parse_u32(text, min, max, secs); !err.empty()) {
    return err;
  }
  out = std::chrono::seconds{secs};
  return {};
}

std::string parse_bool(const std::string& text, bool& out) {
  std::string v;
  for (auto c : text) {
    v.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (v == "1" || v == "true" || v == "yes" || v == "on") {
    out = true;
    return {};
  }
  if (v == "0" || v == "false" || v == "no" || v == "off") {
    out = false;
    return {};
  }
  return "expects true or false";
}

std::string non_empty(const std::string& text, std::string& out) {
  if (text.empty()) {
    return "must not be empty";
  }
  out = text;
  return {};
}

const std::vector<flag>& flags() {
  static const std::vector<flag> table = {
    {"listen", "HOST:PORT", "address of the HTTP server (default 127.0.0.1:8080; port 0 picks one)",
     [](server_options& o, const std::string& v) -> std::string {
       auto colon = v.rfind(':');
       if (colon == std::string::npos || colon == 0) {
         return "expects HOST:PORT";
       }
       uint32_t port = 0;
       if (auto err = parse_u32(v.substr(colon + 1), 0, 65535, port); !err.empty()) {
         return "expects HOST:PORT with a port between 0 and 65535";
       }
       o.listen = v;
       return {};
     }},
    {"database", "URL",
     "libpq connection string of the system of record; without it an embedded PostgreSQL "
     "runs in --data-dir",
     [](server_options& o, const std::string& v) { return non_empty(v, o.database); }},
    {"data-dir", "DIR", "directory of the embedded PostgreSQL (default ./var)",
     [](server_options& o, const std::string& v) { return non_empty(v, o.data_dir); }},
    {"operator-key", "KEY",
     "key that operators send as X-Operator-Key (production: at least 32 characters; "
     "development: generated and printed if missing)",
     [](server_options& o, const std::string& v) { return non_empty(v, o.operator_key); }},
    {"stripe-webhook-secret", "SECRET", "secret that signs Stripe webhooks (Stripe-Signature)",
     [](server_options& o, const std::string& v) { return non_empty(v, o.stripe_webhook_secret); }},
    {"signing-key", "FILE",
     "PEM file of the Ed25519 key that signs tokens (production: required; development: a "
     "key is generated on first start and kept in the database)",
     [](server_options& o, const std::string& v) { return non_empty(v, o.signing_key_file); }},
    {"access-token-ttl", "SECONDS", "lifetime of access tokens (default 86400)",
     [](server_options& o, const std::string& v) {
       return parse_seconds(v, 1, 366u * 86400u, o.access_token_ttl);
     }},
    {"rate-limit-user-per-min", "N", "requests per user per route per minute (default 600)",
     [](server_options& o, const std::string& v) {
       return parse_u32(v, 1, 100000000, o.rate_limit_user_per_min);
     }},
    {"rate-limit-register-per-ip-per-min", "N",
     "registrations per client address per minute (default 60)",
     [](server_options& o, const std::string& v) {
       return parse_u32(v, 1, 100000000, o.rate_limit_register_per_ip_per_min);
     }},
    {"rate-limit-failed-logins", "N", "failed logins per email per 15 minutes (default 10)",
     [](server_options& o, const std::string& v) {
       return parse_u32(v, 1, 100000000, o.rate_limit_failed_logins);
     }},
    {"mode", "MODE", "production or development (default development)",
     [](server_options& o, const std::string& v) -> std::string {
       if (v == "production") {
         o.mode = edge::run_mode::production;
       } else if (v == "development") {
         o.mode = edge::run_mode::development;
       } else {
         return "expects production or development";
       }
       return {};
     }},
    {"log-level", "LEVEL", "error, warning, info or debug (default info)",
     [](server_options& o, const std::string& v) -> std::string {
       if (v != "error" && v != "warning" && v != "info" && v != "debug") {
         return "expects error, warning, info or debug";
       }
       o.log_level = v;
       return {};
     }},
    {"tenant-idle-timeout", "SECONDS",
     "stop a tenant's actor after this long without sessions or requests; its next request "
     "starts it again (default 600, 0: never)",
     [](server_options& o, const std::string& v) {
       return parse_seconds(v, 0, 30u * 86400u, o.tenant_idle_timeout);
     }},
    {"io-threads", "N", "HTTP I/O threads (default: one per usable CPU)",
     [](server_options& o, const std::string& v) { return parse_u32(v, 1, 256, o.io_threads); }},
    {"pin-io-threads", "",
     "run each I/O thread only on the CPUs whose connections it serves (for a host that runs "
     "nothing else; --no-pin-io-threads, the default: let the kernel move them)",
     [](server_options& o, const std::string& v) { return parse_bool(v, o.pin_io_threads); }},
    {"demo", "",
     "seed a demo tenant, user and 5-seat license and print how to use them (--no-demo: off, "
     "the default)",
     [](server_options& o, const std::string& v) { return parse_bool(v, o.demo); }},
  };
  return table;
}

std::string env_name(const char* flag_name) {
  std::string out = "LEASEHOLD_";
  for (const char* c = flag_name; *c != '\0'; ++c) {
    out.push_back(*c == '-' ? '_'
                            : static_cast<char>(std::toupper(static_cast<unsigned char>(*c))));
  }
  return out;
}

const flag* find_flag(const std::string& name) {
  for (const auto& f : flags()) {
    if (name == f.name) {
      return &f;
    }
  }
  return nullptr;
}

parsed_command fail(std::string message) {
  parsed_command out;
  out.what = parsed_command::action::fail;
  out.text = std::move(message);
  out.exit_code = 2;
  return out;
}

parsed_command help(bool top_level) {
  parsed_command out;
  out.what = parsed_command::action::help;
  out.text = help_text(top_level);
  out.exit_code = 0;
  return out;
}

} // namespace

env_lookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (const char* value = std::getenv(name.c_str())) {
      return std::string{value};
    }
    return std::nullopt;
  };
}

std::string help_text(bool top_level) {
  std::string out;
  if (top_level) {
    out += "Leasehold: a multi-tenant floating-license server.\n\n"
           "Usage: leasehold <command> [flags]\n\n"
           "Commands:\n"
           "  serve    run the license server (see `leasehold serve --help`)\n\n"
           "Flags:\n"
           "  --help   show this text\n";
    return out;
  }
  out += "Usage: leasehold serve [flags]\n\n"
         "Runs the HTTP API. Every flag can also be set with an environment variable\n"
         "LEASEHOLD_<NAME> (e.g. --access-token-ttl -> LEASEHOLD_ACCESS_TOKEN_TTL); the command\n"
         "line wins. Values go after a space or '=' (--listen=0.0.0.0:8080).\n\n"
         "Flags:\n";
  for (const auto& f : flags()) {
    std::string left = std::string{"  --"} + f.name;
    if (*f.value_name != '\0') {
      left += std::string{" "} + f.value_name;
    } else {
      left += std::string{", --no-"} + f.name;
    }
    out += left + "\n      " + f.help + "\n      env: " + env_name(f.name) + "\n";
  }
  out += "  --help\n      show this text\n";
  return out;
}

parsed_command parse_command_line(const std::vector<std::string>& args, const env_lookup& env) {
  if (args.empty()) {
    return fail("missing command\n\n" + help_text(true));
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    return help(true);
  }
  if (args[0] != "serve") {
    return fail("unknown command '" + args[0] + "' (try `leasehold --help`)");
  }
  server_options opts;
  // Environment first, then the command line on top.
  for (const auto& f : flags()) {
    auto name = env_name(f.name);
    if (auto value = env ? env(name) : std::nullopt) {
      if (auto err = f.apply(opts, *value); !err.empty()) {
        return fail("environment variable " + name + ": " + err);
      }
    }
  }
  for (size_t i = 1; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      return help(false);
    }
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      return fail("unexpected argument '" + arg + "' (try `leasehold serve --help`)");
    }
    auto body = arg.substr(2);
    auto eq = body.find('=');
    auto name = body.substr(0, eq);
    const flag* f = find_flag(name);
    bool negated = false;
    if (f == nullptr && name.compare(0, 3, "no-") == 0) {
      f = find_flag(name.substr(3));
      negated = f != nullptr && *f->value_name == '\0';
      if (!negated) {
        f = nullptr;
      }
    }
    if (f == nullptr) {
      return fail("unknown flag '--" + name + "' (try `leasehold serve --help`)");
    }
    std::string value;
    if (*f->value_name == '\0') {
      if (eq != std::string::npos) {
        return fail("flag '--" + name + "' takes no value");
      }
      value = negated ? "false" : "true";
    } else if (eq != std::string::npos) {
      value = body.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return fail("flag '--" + name + "' needs a value (" + f->value_name + ")");
    }
    if (auto err = f->apply(opts, value); !err.empty()) {
      return fail("flag '--" + name + "': " + err);
    }
  }
  if (opts.mode == edge::run_mode::production) {
    if (opts.operator_key.size() < min_operator_key_length) {
      return fail("production mode needs --operator-key with at least " +
                  std::to_string(min_operator_key_length) + " characters");
    }
    if (opts.signing_key_file.empty()) {
      return fail("production mode needs --signing-key FILE (an Ed25519 private key in PEM)");
    }
  }
  parsed_command out;
  out.what = parsed_command::action::serve;
  out.options = std::move(opts);
  return out;
}

} // namespace leasehold::cluster
