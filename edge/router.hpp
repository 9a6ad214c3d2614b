#pragma once

#include "edge/request_context.hpp"

#include <caf/expected.hpp>

#include <boost/beast/http/verb.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace leasehold::edge {

class rate_limiter;

/// Who may call a route.
enum class access : uint8_t {
  open,        // anyone
  bearer,      // `Authorization: Bearer <access token>`; ctx->auth is set for the handler
  operator_key // `X-Operator-Key: <key>` equal to the configured key
};

/// Handles one request; must make `ctx->respond` happen exactly once (directly or later).
using handler = std::function<void(const context_ptr&)>;

/// Verifies a bearer token (crypto::token_service::verify_access_token in the server).
using token_verifier = std::function<caf::expected<bearer_ptr>(std::string_view token)>;

/// What the router needs besides its routes.
struct router_config {
  token_verifier verify;          // required for bearer routes
  std::string operator_key;       // empty: operator routes always answer 401
  rate_limiter* limits = nullptr; // per-user-per-route limit of bearer routes; null = none
};

/// Maps method and path to handlers. Patterns are paths whose segments may be `{name}`
/// placeholders ("/api/v1/licenses/{id}"); a literal segment wins over a placeholder.
///
/// Dispatch order (API.md): unknown path -> 404 `not_found` before any authentication;
/// known path, other method -> 405 `method_not_allowed` with `Allow`; then access checks
/// (401), then the per-user-per-route rate limit (429), then the handler.
class router {
public:
  router() = default;
  explicit router(router_config cfg);

  /// Sets verifier, operator key and limiter (the server calls this once before serving).
  void configure(router_config cfg);

  /// Registers `fn` for `method` on `pattern`. Adding the same method and pattern twice
  /// replaces the earlier handler.
  void add(http::verb method, std::string pattern, access who, handler fn);

  /// Routes `ctx`: fills path_params, query and auth, then calls the handler or answers
  /// with an error itself.
  /// Returns the matched pattern ("" for an unknown path), the metrics label.
  std::string_view dispatch(const context_ptr& ctx) const;

  /// The route pattern that `target` matches ("" if none): the metrics label of a request.
  std::string_view match_pattern(std::string_view target) const;

private:
  struct route {
    http::verb method;
    access who;
    handler fn;
  };

  struct path_entry {
    std::string pattern;
    std::vector<std::string> segments; // "{id}" for placeholders
    std::vector<route> routes;
  };

  const path_entry* find_path(std::string_view path,
                              std::map<std::string, std::string>* params) const;

  router_config cfg_;
  std::vector<path_entry> paths_;
};

/// Splits the query part of a target ("a=1&b=x%20y") into decoded key/value pairs; '+'
/// means a space. Later duplicates win. Returns false on a malformed percent escape.
bool parse_query(std::string_view query, std::map<std::string, std::string>& out);

/// Percent-decodes `in` (with '+' as space when `plus_is_space`); none on a bad escape.
caf::optional<std::string> percent_decode(std::string_view in, bool plus_is_space);

} // namespace leasehold::edge
