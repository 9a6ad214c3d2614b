#include "edge/router.hpp"

#include "edge/rate_limiter.hpp"
#include "edge/response.hpp"

#include <boost/container/small_vector.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <utility>

namespace leasehold::edge {

namespace {

bool is_placeholder(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Patterns have at most this many segments: a path's literal segments are one bit each.
constexpr size_t max_segments = 64;

using path_segments = boost::container::small_vector<std::string_view, 8>;

// "/a/b/c" -> {"a", "b", "c"}; "/" -> {}. Empty segments ("//", trailing '/') are kept as ""
// so that they never match a pattern.
path_segments split_path(std::string_view path) {
  path_segments out;
  if (path.empty() || path.front() != '/') {
    out.emplace_back(path);
    return out;
  }
  path.remove_prefix(1);
  if (path.empty()) {
    return out;
  }
  for (;;) {
    auto slash = path.find('/');
    out.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      return out;
    }
    path.remove_prefix(slash + 1);
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

using digest = std::array<unsigned char, 32>;

digest sha256(std::string_view data) {
  digest out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

// Compares digests of both sides, so neither the content nor the length of the configured
// key leaks through timing.
bool operator_key_matches(std::string_view given, const std::string& configured) {
  if (configured.empty()) {
    return false;
  }
  auto a = sha256(given);
  auto b = sha256(configured);
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view header_value(const http_request& req, std::string_view name) {
  auto i = req.find(boost::beast::string_view{name.data(), name.size()});
  if (i == req.end()) {
    return {};
  }
  auto v = i->value();
  return {v.data(), v.size()};
}

// The token of "Bearer <token>" (scheme case-insensitive), or "" if the header is missing or
// has another shape.
std::string_view bearer_token(std::string_view header) {
  constexpr std::string_view scheme = "bearer ";
  if (header.size() <= scheme.size()) {
    return {};
  }
  for (size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) {
      return {};
    }
  }
  auto token = header.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') {
    token.remove_prefix(1);
  }
  while (!token.empty() && token.back() == ' ') {
    token.remove_suffix(1);
  }
  if (token.find(' ') != std::string_view::npos) {
    return {};
  }
  return token;
}

void reply_not_allowed(const context_ptr& ctx, const std::string& allow) {
  auto res = make_error_response(errc::method_not_allowed, "method not allowed for this path",
                                 ctx->request_id);
  res.set(http::field::allow, allow);
  ctx->answer(std::move(res));
}

} // namespace

caf::optional<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    auto c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) {
        return caf::none;
      }
      auto hi = hex_value(in[i + 1]);
      auto lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return caf::none;
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool parse_query(std::string_view query, std::map<std::string, std::string>& out) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key || !value) {
      return false;
    }
    out[std::move(*key)] = std::move(*value);
  }
  return true;
}

router::router(router_config cfg) : cfg_(std::move(cfg)) {
  // nop
}

void router::configure(router_config cfg) { cfg_ = std::move(cfg); }

void router::add(http::verb method, std::string pattern, access who, handler fn) {
  auto i = std::find_if(paths_.begin(), paths_.end(),
                        [&](const path_entry& p) { return p.pattern == pattern; });
  if (i == paths_.end()) {
    path_entry entry;
    for (auto segment : split_path(pattern)) {
      entry.segments.emplace_back(segment);
    }
    if (entry.segments.size() > max_segments) {
      throw std::invalid_argument{"route pattern with more than 64 segments: " + pattern};
    }
    entry.pattern = std::move(pattern);
    paths_.push_back(std::move(entry));
    i = std::prev(paths_.end());
  }
  for (auto& r : i->routes) {
    if (r.method == method) {
      r.who = who;
      r.fn = std::move(fn);
      return;
    }
  }
  i->routes.push_back(route{method, who, std::move(fn)});
}

const router::path_entry* router::find_path(std::string_view path,
                                            std::map<std::string, std::string>* params) const {
  auto segments = split_path(path);
  const path_entry* best = nullptr;
  uint64_t best_literals = 0;
  for (const auto& entry : paths_) {
    if (entry.segments.size() != segments.size()) {
      continue;
    }
    // Bit 63 - i is set when segment i is literal, so that comparing two masks compares
    // their literal segments leftmost first.
    uint64_t literals = 0;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      if (is_placeholder(entry.segments[i])) {
        match = !segments[i].empty();
      } else {
        literals |= uint64_t{1} << (max_segments - 1 - i);
        match = entry.segments[i] == segments[i];
      }
    }
    // Literal segments win over placeholders, leftmost first ("/licenses/acquire" beats
    // "/licenses/{id}").
    if (match && (best == nullptr || literals > best_literals)) {
      best = &entry;
      best_literals = literals;
    }
  }
  if (best != nullptr && params != nullptr) {
    for (size_t i = 0; i < segments.size(); ++i) {
      const auto& seg = best->segments[i];
      if (is_placeholder(seg)) {
        auto decoded = percent_decode(segments[i], false);
        (*params)[seg.substr(1, seg.size() - 2)] =
          decoded ? std::move(*decoded) : std::string{segments[i]};
      }
    }
  }
  return best;
}

std::string_view router::match_pattern(std::string_view target) const {
  auto path = target.substr(0, target.find('?'));
  auto* entry = find_path(path, nullptr);
  return entry != nullptr ? std::string_view{entry->pattern} : std::string_view{};
}

std::string_view router::dispatch(const context_ptr& ctx) const {
  auto t = ctx->req.target();
  std::string_view target{t.data(), t.size()};
  auto qmark = target.find('?');
  auto path = target.substr(0, qmark);
  // 1. Unknown paths answer 404 before anybody looks at credentials.
  ctx->path_params.clear();
  auto* entry = find_path(path, &ctx->path_params);
  if (entry == nullptr) {
    reply_error(ctx, errc::not_found, "no such route");
    return {};
  }
  // 2. Known path, other method: 405 with the methods that exist.
  const route* r = nullptr;
  for (const auto& candidate : entry->routes) {
    if (candidate.method == ctx->req.method()) {
      r = &candidate;
    }
  }
  if (r == nullptr) {
    std::string allow;
    for (const auto& candidate : entry->routes) {
      if (!allow.empty()) {
        allow += ", ";
      }
      auto name = http::to_string(candidate.method);
      allow.append(name.data(), name.size());
    }
    reply_not_allowed(ctx, allow);
    return entry->pattern;
  }
  // 3. Credentials.
  switch (r->who) {
  case access::open:
    break;
  case access::bearer: {
    auto token = bearer_token(header_value(ctx->req, "Authorization"));
    if (token.empty()) {
      reply_error(ctx, errc::unauthorized, "missing or malformed bearer token");
      return entry->pattern;
    }
    if (!cfg_.verify) {
      reply_error(ctx, errc::unauthorized, "bearer tokens are not accepted");
      return entry->pattern;
    }
    auto verified = cfg_.verify(token);
    if (!verified) {
      reply_error(ctx, errc::unauthorized, "invalid or expired access token");
      return entry->pattern;
    }
    ctx->auth = std::move(*verified);
    // 4. Per user per route: one user cannot starve the others.
    if (cfg_.limits != nullptr) {
      auto d = cfg_.limits->allow_user_request(ctx->auth->who.user_id, entry->pattern);
      if (!d.allowed) {
        reply_error(ctx, errc::rate_limited, "too many requests on this route", d.retry_after);
        return entry->pattern;
      }
    }
    break;
  }
  case access::operator_key:
    if (!operator_key_matches(header_value(ctx->req, "X-Operator-Key"), cfg_.operator_key)) {
      reply_error(ctx, errc::unauthorized, "missing or wrong operator key");
      return entry->pattern;
    }
    break;
  }
  ctx->query.clear();
  if (qmark != std::string_view::npos && !parse_query(target.substr(qmark + 1), ctx->query)) {
    reply_error(ctx, errc::bad_request, "malformed query string");
    return entry->pattern;
  }
  try {
    r->fn(ctx);
  } catch (const std::exception& e) {
    // A handler bug must not take the I/O thread down; the session ignores a second answer.
    std::cerr << "request " << ctx->request_id << ": handler failed: " << e.what() << std::endl;
    reply_error(ctx, errc::internal, "");
  }
  return entry->pattern;
}

} // namespace leasehold::edge
