#define CAF_SUITE persistence.record_sql

#include "persistence/record_sql.hpp"

#include "persistence/pg_array.hpp"
#include "persistence/session_events_sql.hpp"

#include <caf/test/unit_test.hpp>

#include <algorithm>
#include <cstring>

using namespace leasehold;
using namespace leasehold::persistence;

namespace {

constexpr const char* tenant = "6f1c2a4e-0b1d-4c9e-9a53-2f6f0e8c1a01";
constexpr const char* session = "0b7f3c1e-5a2d-4e8f-b6c4-9d1e2f3a4b5c";
constexpr const char* license = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";

record make(record_kind kind) {
  record rec;
  rec.kind = kind;
  rec.tenant_id = tenant;
  rec.session_id = session;
  rec.license_id = license;
  return rec;
}

bool is_prepared(const char* name) {
  auto& all = record_statements();
  return std::any_of(all.begin(), all.end(),
                     [name](const prepared_sql& x) { return std::strcmp(x.name, name) == 0; });
}

record with_session(record_kind kind, const char* id = session) {
  auto rec = make(kind);
  rec.session = session_record{};
  rec.session->id = id;
  return rec;
}

// `check_record`, then the statements of `rec` alone.
caf::expected<std::vector<bound_statement>> statements_for(const record& rec) {
  if (auto err = check_record(rec)) {
    return err;
  }
  return batch_statements({&rec});
}

std::vector<bound_statement> plan(std::initializer_list<const record*> records) {
  return batch_statements(std::vector<const record*>{records});
}

std::vector<std::string> names(const std::vector<bound_statement>& stmts) {
  std::vector<std::string> result;
  for (auto& stmt : stmts) {
    result.emplace_back(stmt.name);
  }
  return result;
}

using strings = std::vector<std::string>;

// Reads a big-endian int32 of a binary array parameter at `pos` and moves past it.
int32_t read_int32(const std::string& bytes, size_t& pos) {
  uint32_t x = 0;
  for (int i = 0; i < 4; ++i) {
    x = (x << 8) | static_cast<unsigned char>(bytes[pos++]);
  }
  return static_cast<int32_t>(x);
}

std::string uuid_text(std::string_view raw) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      out += '-';
    }
    auto c = static_cast<unsigned char>(raw[i]);
    out += digits[c >> 4];
    out += digits[c & 0xf];
  }
  return out;
}

// The elements of a binary array parameter (see pg_array) as text: integers in decimal,
// booleans as true/false, UUIDs in canonical form, jsonb without its version byte.
strings elements(const pg_param& param) {
  strings result;
  auto& bytes = *param;
  size_t pos = 0;
  auto dims = read_int32(bytes, pos);
  read_int32(bytes, pos); // has NULLs
  auto type = static_cast<pg_type>(read_int32(bytes, pos));
  if (dims == 0) {
    return result;
  }
  auto size = read_int32(bytes, pos);
  read_int32(bytes, pos); // lower bound
  for (int32_t i = 0; i < size; ++i) {
    auto len = read_int32(bytes, pos);
    if (len < 0) {
      result.emplace_back("NULL");
      continue;
    }
    auto raw = std::string_view{bytes}.substr(pos, static_cast<size_t>(len));
    pos += static_cast<size_t>(len);
    size_t at = 0;
    std::string value{raw};
    switch (type) {
    case pg_type::int4:
      result.push_back(std::to_string(read_int32(value, at)));
      break;
    case pg_type::boolean:
      result.emplace_back(raw[0] != 0 ? "true" : "false");
      break;
    case pg_type::uuid:
      result.push_back(uuid_text(raw));
      break;
    case pg_type::jsonb:
      result.emplace_back(raw.substr(1));
      break;
    default:
      result.push_back(value);
    }
  }
  return result;
}

// Parameters of the session events statements: the audit rows' positions, whether they depend
// on finding the session, actions and details; then the next group's first parameter (renews'
// or ends' positions) and, in a statement with audits and ends only, the ends' reasons.
constexpr size_t positions = 0;
constexpr size_t conditional = 1;
constexpr size_t actions = 4;
constexpr size_t details = 9;
constexpr size_t second_group = 10;
constexpr size_t end_reasons = 14;

// The number of distinct `$n` placeholders in `sql`.
size_t placeholders(const std::string& sql) {
  size_t highest = 0;
  for (auto pos = sql.find('$'); pos != std::string::npos; pos = sql.find('$', pos + 1)) {
    highest = std::max(highest, static_cast<size_t>(std::stoul(sql.substr(pos + 1))));
  }
  return highest;
}

const std::string& sql_of(const bound_statement& stmt) {
  for (auto& x : all_session_events_statements()) {
    if (x.name == stmt.name) {
      return x.sql;
    }
  }
  CAF_FAIL("not a session events statement: " << stmt.name);
}

} // namespace

CAF_TEST(an acquire inserts the session and its audit event) {
  auto rec = with_session(record_kind::acquire);
  auto stmts = statements_for(rec);
  CAF_REQUIRE(stmts);
  CAF_CHECK_EQUAL(names(*stmts), (strings{"lh_start_sessions", "lh_events_a"}));
  CAF_CHECK_EQUAL(elements((*stmts)[0].params[1]), strings{session});
  CAF_CHECK_EQUAL(elements((*stmts)[1].params[conditional]), strings{"false"});
  CAF_CHECK_EQUAL(elements((*stmts)[1].params[actions]), strings{"acquire"});
}

CAF_TEST(records that need a session or license fail without one) {
  CAF_CHECK(is_errc(statements_for(make(record_kind::acquire)).error(), errc::bad_request));
  CAF_CHECK(is_errc(statements_for(make(record_kind::renew)).error(), errc::bad_request));
  CAF_CHECK(is_errc(statements_for(make(record_kind::license_create)).error(), errc::bad_request));
  auto no_session = make(record_kind::release);
  no_session.session_id.clear();
  CAF_CHECK(is_errc(check_record(no_session), errc::bad_request));
}

CAF_TEST(a record without a valid tenant id is refused) {
  auto rec = make(record_kind::deny);
  rec.tenant_id = "acme";
  CAF_CHECK(is_errc(check_record(rec), errc::bad_request));
}

CAF_TEST(a renew must find its live session) {
  auto rec = with_session(record_kind::renew);
  auto stmts = statements_for(rec);
  CAF_REQUIRE(stmts);
  CAF_REQUIRE_EQUAL(names(*stmts), strings{"lh_events_ar"});
  auto& events = (*stmts)[0];
  CAF_CHECK(events.confirms_by_returning);
  CAF_CHECK_EQUAL(events.must_confirm, std::vector<size_t>{0});
  CAF_CHECK_EQUAL(events.no_row, errc::session_not_found);
  CAF_CHECK(elements(events.params[details])[0].find(R"("renewed":"true")") != std::string::npos);
  CAF_CHECK_EQUAL(elements(events.params[second_group]), strings{"0"});
  CAF_CHECK_EQUAL(elements(events.params[conditional]), strings{"true"});
}

CAF_TEST(session ends use the kind as the audit action) {
  for (auto kind : {record_kind::release, record_kind::expire, record_kind::revoke}) {
    auto stmts = statements_for(make(kind));
    CAF_REQUIRE(stmts);
    CAF_REQUIRE_EQUAL(names(*stmts), strings{"lh_events_ae"});
    auto quoted = strings{to_string(kind)};
    CAF_CHECK_EQUAL(elements((*stmts)[0].params[actions]), quoted);
    CAF_CHECK_EQUAL(elements((*stmts)[0].params[end_reasons]), quoted);
    CAF_CHECK_EQUAL(elements((*stmts)[0].params[second_group]), strings{"0"});
  }
}

CAF_TEST(session records of a batch share two statements in record order) {
  auto first = with_session(record_kind::acquire);
  auto deny = make(record_kind::deny);
  auto end = make(record_kind::release); // ends the session the batch started
  auto second = with_session(record_kind::acquire, "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f");
  auto stmts = plan({&first, &deny, &end, &second});
  CAF_REQUIRE_EQUAL(names(stmts), (strings{"lh_start_sessions", "lh_events_ae"}));
  CAF_CHECK_EQUAL(elements(stmts[1].params[positions]), (strings{"0", "1", "2", "3"}));
  CAF_CHECK_EQUAL(elements(stmts[1].params[conditional]),
                  (strings{"false", "false", "true", "false"}));
  CAF_CHECK_EQUAL(elements(stmts[1].params[second_group]), strings{"2"});
}

CAF_TEST(a session touched twice starts the next group) {
  auto renew = with_session(record_kind::renew);
  auto end = make(record_kind::release);
  auto stmts = plan({&renew, &end});
  CAF_REQUIRE_EQUAL(names(stmts), (strings{"lh_events_ar", "lh_events_ae"}));
  CAF_CHECK_EQUAL(stmts[0].must_confirm, std::vector<size_t>{0});
  CAF_CHECK(stmts[1].must_confirm.empty());
  CAF_CHECK_EQUAL(elements(stmts[1].params[positions]), strings{"1"});
}

CAF_TEST(license records keep their place between session groups) {
  auto before = make(record_kind::deny);
  auto update = make(record_kind::license_update);
  update.license = license_terms{};
  auto after = make(record_kind::deny);
  auto stmts = plan({&before, &update, &after});
  CAF_REQUIRE_EQUAL(names(stmts), (strings{"lh_events_a", "lh_update_license", "lh_events_a"}));
  CAF_CHECK_EQUAL(stmts[1].must_confirm, std::vector<size_t>{1});
  CAF_CHECK(!stmts[1].confirms_by_returning);
}

CAF_TEST(heartbeats alone only move session times) {
  auto beat = make(record_kind::heartbeat);
  auto stmts = plan({&beat});
  CAF_REQUIRE_EQUAL(names(stmts), strings{"lh_events_b"});
  CAF_CHECK_EQUAL(stmts[0].params.size(), 4u);
  CAF_CHECK(sql_of(stmts[0]).find("audit_log") == std::string::npos);
}

CAF_TEST(each session events statement takes exactly the parameters of its groups) {
  auto acquire = with_session(record_kind::acquire);
  auto renew = with_session(record_kind::renew, "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f");
  auto end = make(record_kind::release);
  auto beat = make(record_kind::heartbeat);
  beat.session_id = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
  std::vector<std::vector<const record*>> batches{
    {&acquire}, {&renew}, {&end}, {&beat}, {&acquire, &beat}, {&renew, &end, &beat}};
  for (auto& batch : batches) {
    for (auto& stmt : batch_statements(batch)) {
      if (std::string{stmt.name} != "lh_start_sessions") {
        CAF_CHECK_EQUAL(placeholders(sql_of(stmt)), stmt.params.size());
      }
    }
  }
  CAF_CHECK_EQUAL(all_session_events_statements().size(), 9u);
}

CAF_TEST(an expired status is never stored) {
  auto rec = make(record_kind::license_update);
  rec.license = license_terms{};
  rec.license->status = license_status::expired;
  CAF_CHECK(is_errc(check_record(rec), errc::bad_request));
}

CAF_TEST(every statement used is prepared) {
  auto create = make(record_kind::license_create);
  create.license = license_terms{};
  auto acquire = with_session(record_kind::acquire);
  auto beat = make(record_kind::heartbeat);
  for (auto& stmt : plan({&create, &acquire, &beat})) {
    CAF_CHECK(is_prepared(stmt.name));
  }
}

CAF_TEST(uuids are recognized) {
  CAF_CHECK(is_uuid(tenant));
  CAF_CHECK(!is_uuid("6f1c2a4e-0b1d-4c9e-9a53-2f6f0e8c1a0"));
  CAF_CHECK(!is_uuid("6f1c2a4e00b1d-4c9e-9a53-2f6f0e8c1a01"));
  CAF_CHECK(!is_uuid("6f1c2a4e-0b1d-4c9e-9a53-2f6f0e8c1a0g"));
}
