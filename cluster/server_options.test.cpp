#define CAF_SUITE cluster.server_options

#include "cluster/server_options.hpp"

#include <caf/test/unit_test.hpp>

#include <map>

using namespace leasehold;
using namespace leasehold::cluster;

namespace {

struct fixture {
  std::map<std::string, std::string> vars;

  env_lookup env() {
    return [this](const std::string& name) -> std::optional<std::string> {
      auto i = vars.find(name);
      if (i == vars.end()) {
        return std::nullopt;
      }
      return i->second;
    };
  }

  parsed_command parse(std::vector<std::string> args) { return parse_command_line(args, env()); }
};

const std::string long_key(40, 'k');

} // namespace

CAF_TEST_FIXTURE_SCOPE(server_options_tests, fixture)

CAF_TEST(serve without flags uses the documented defaults) {
  auto cmd = parse({"serve"});
  CAF_REQUIRE(cmd.what == parsed_command::action::serve);
  CAF_CHECK_EQUAL(cmd.options.listen, "127.0.0.1:8080");
  CAF_CHECK_EQUAL(cmd.options.data_dir, "./var");
  CAF_CHECK_EQUAL(cmd.options.access_token_ttl.count(), 86400);
  CAF_CHECK_EQUAL(cmd.options.rate_limit_user_per_min, 600u);
  CAF_CHECK_EQUAL(cmd.options.rate_limit_register_per_ip_per_min, 60u);
  CAF_CHECK_EQUAL(cmd.options.rate_limit_failed_logins, 10u);
  CAF_CHECK(cmd.options.mode == edge::run_mode::development);
  CAF_CHECK_EQUAL(cmd.options.demo, false);
  CAF_CHECK_EQUAL(cmd.options.tenant_idle_timeout.count(), 600);
  CAF_CHECK_EQUAL(cmd.options.io_threads, 0u);
  CAF_CHECK_EQUAL(cmd.options.pin_io_threads, false);
}

CAF_TEST(flags take values after a space or an equals sign) {
  auto cmd = parse({"serve", "--listen", "0.0.0.0:0", "--access-token-ttl=60", "--database",
                    "postgresql:///x", "--rate-limit-user-per-min=5", "--demo",
                    "--tenant-idle-timeout", "0", "--io-threads=3", "--pin-io-threads"});
  CAF_REQUIRE(cmd.what == parsed_command::action::serve);
  CAF_CHECK_EQUAL(cmd.options.listen, "0.0.0.0:0");
  CAF_CHECK_EQUAL(cmd.options.access_token_ttl.count(), 60);
  CAF_CHECK_EQUAL(cmd.options.database, "postgresql:///x");
  CAF_CHECK_EQUAL(cmd.options.rate_limit_user_per_min, 5u);
  CAF_CHECK_EQUAL(cmd.options.demo, true);
  CAF_CHECK_EQUAL(cmd.options.tenant_idle_timeout.count(), 0);
  CAF_CHECK_EQUAL(cmd.options.io_threads, 3u);
  CAF_CHECK_EQUAL(cmd.options.pin_io_threads, true);
}

CAF_TEST(environment variables set flags and the command line wins) {
  vars["LEASEHOLD_OPERATOR_KEY"] = "from-env";
  vars["LEASEHOLD_ACCESS_TOKEN_TTL"] = "120";
  vars["LEASEHOLD_DEMO"] = "true";
  auto cmd = parse({"serve", "--access-token-ttl", "30", "--no-demo"});
  CAF_REQUIRE(cmd.what == parsed_command::action::serve);
  CAF_CHECK_EQUAL(cmd.options.operator_key, "from-env");
  CAF_CHECK_EQUAL(cmd.options.access_token_ttl.count(), 30);
  CAF_CHECK_EQUAL(cmd.options.demo, false);
}

CAF_TEST(unknown flags and bad values fail with exit code 2) {
  auto unknown = parse({"serve", "--lisen", "x:1"});
  CAF_CHECK(unknown.what == parsed_command::action::fail);
  CAF_CHECK_EQUAL(unknown.exit_code, 2);
  CAF_CHECK_NOT_EQUAL(unknown.text.find("--lisen"), std::string::npos);
  auto bad_number = parse({"serve", "--access-token-ttl", "ten"});
  CAF_CHECK(bad_number.what == parsed_command::action::fail);
  CAF_CHECK_EQUAL(bad_number.exit_code, 2);
  auto bad_mode = parse({"serve", "--mode=staging"});
  CAF_CHECK(bad_mode.what == parsed_command::action::fail);
  auto missing_value = parse({"serve", "--listen"});
  CAF_CHECK(missing_value.what == parsed_command::action::fail);
  auto bool_with_value = parse({"serve", "--demo=false"});
  CAF_CHECK(bool_with_value.what == parsed_command::action::fail);
  auto bad_port = parse({"serve", "--listen", "127.0.0.1:70000"});
  CAF_CHECK(bad_port.what == parsed_command::action::fail);
  vars["LEASEHOLD_RATE_LIMIT_FAILED_LOGINS"] = "-1";
  auto bad_env = parse({"serve"});
  CAF_CHECK(bad_env.what == parsed_command::action::fail);
  CAF_CHECK_NOT_EQUAL(bad_env.text.find("LEASEHOLD_RATE_LIMIT_FAILED_LOGINS"), std::string::npos);
}

CAF_TEST(production mode refuses a short operator key or a missing signing key) {
  auto no_key = parse({"serve", "--mode", "production", "--signing-key", "/k.pem"});
  CAF_CHECK(no_key.what == parsed_command::action::fail);
  CAF_CHECK_EQUAL(no_key.exit_code, 2);
  auto short_key = parse({"serve", "--mode", "production", "--operator-key", std::string(31, 'k'),
                          "--signing-key", "/k.pem"});
  CAF_CHECK(short_key.what == parsed_command::action::fail);
  auto no_signing = parse({"serve", "--mode", "production", "--operator-key", long_key});
  CAF_CHECK(no_signing.what == parsed_command::action::fail);
  CAF_CHECK_NOT_EQUAL(no_signing.text.find("--signing-key"), std::string::npos);
  auto ok =
    parse({"serve", "--mode", "production", "--operator-key", long_key, "--signing-key", "/k.pem"});
  CAF_CHECK(ok.what == parsed_command::action::serve);
  CAF_CHECK(ok.options.mode == edge::run_mode::production);
}

CAF_TEST(development mode starts without operator key and signing key) {
  auto cmd = parse({"serve", "--mode", "development"});
  CAF_CHECK(cmd.what == parsed_command::action::serve);
  CAF_CHECK(cmd.options.operator_key.empty());
}

CAF_TEST(help explains every flag) {
  auto top = parse({"--help"});
  CAF_CHECK(top.what == parsed_command::action::help);
  CAF_CHECK_EQUAL(top.exit_code, 0);
  CAF_CHECK_NOT_EQUAL(top.text.find("serve"), std::string::npos);
  auto serve = parse({"serve", "--help"});
  CAF_REQUIRE(serve.what == parsed_command::action::help);
  for (const char* name :
       {"--listen", "--database", "--data-dir", "--operator-key", "--stripe-webhook-secret",
        "--signing-key", "--access-token-ttl", "--rate-limit-user-per-min",
        "--rate-limit-register-per-ip-per-min", "--rate-limit-failed-logins", "--mode",
        "--log-level", "--demo", "--no-demo", "--tenant-idle-timeout", "--io-threads",
        "--pin-io-threads", "--no-pin-io-threads", "LEASEHOLD_ACCESS_TOKEN_TTL"}) {
    CAF_CHECK_NOT_EQUAL(serve.text.find(name), std::string::npos);
  }
}

CAF_TEST(unknown commands fail) {
  auto cmd = parse({"serv"});
  CAF_CHECK(cmd.what == parsed_command::action::fail);
  CAF_CHECK_EQUAL(cmd.exit_code, 2);
  auto none = parse({});
  CAF_CHECK(none.what == parsed_command::action::fail);
}

CAF_TEST_FIXTURE_SCOPE_END()
