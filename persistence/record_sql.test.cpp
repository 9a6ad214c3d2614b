#define CAF_SUITE persistence.record_sql

#include "persistence/record_sql.hpp"

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

} // namespace

CAF_TEST(an acquire inserts the session and an audit event) {
  auto rec = make(record_kind::acquire);
  rec.session = session_record{};
  rec.session->id = session;
  auto stmts = statements_for(rec);
  CAF_REQUIRE(stmts);
  CAF_REQUIRE_EQUAL(stmts->size(), 1u);
  CAF_CHECK_EQUAL(std::string{(*stmts)[0].name}, "lh_start_session");
  CAF_CHECK_EQUAL((*stmts)[0].params[2], pg_param{"acquire"});
  CAF_CHECK_EQUAL((*stmts)[0].params[8], pg_param{session});
}

CAF_TEST(records that need a session or license fail without one) {
  CAF_CHECK(is_errc(statements_for(make(record_kind::acquire)).error(), errc::bad_request));
  CAF_CHECK(is_errc(statements_for(make(record_kind::renew)).error(), errc::bad_request));
  CAF_CHECK(is_errc(statements_for(make(record_kind::license_create)).error(), errc::bad_request));
  auto no_session = make(record_kind::release);
  no_session.session_id.clear();
  CAF_CHECK(is_errc(statements_for(no_session).error(), errc::bad_request));
}

CAF_TEST(a record without a valid tenant id is refused) {
  auto rec = make(record_kind::deny);
  rec.tenant_id = "acme";
  CAF_CHECK(is_errc(statements_for(rec).error(), errc::bad_request));
}

CAF_TEST(a renew must find its live session) {
  auto rec = make(record_kind::renew);
  rec.session = session_record{};
  rec.session->id = session;
  auto stmts = statements_for(rec);
  CAF_REQUIRE(stmts);
  CAF_REQUIRE_EQUAL(stmts->size(), 1u);
  CAF_CHECK((*stmts)[0].must_affect_row);
  CAF_CHECK_EQUAL((*stmts)[0].no_row, errc::session_not_found);
  CAF_CHECK((*stmts)[0].params[7]->find("\"renewed\":\"true\"") != std::string::npos);
}

CAF_TEST(session ends use the kind as the audit action) {
  for (auto kind : {record_kind::release, record_kind::expire, record_kind::revoke}) {
    auto stmts = statements_for(make(kind));
    CAF_REQUIRE(stmts);
    CAF_CHECK_EQUAL(std::string{(*stmts)[0].name}, "lh_end_session");
    CAF_CHECK_EQUAL((*stmts)[0].params[2], pg_param{to_string(kind)});
  }
}

CAF_TEST(an expired status is never stored) {
  auto rec = make(record_kind::license_update);
  rec.license = license_terms{};
  rec.license->status = license_status::expired;
  CAF_CHECK(is_errc(statements_for(rec).error(), errc::bad_request));
}

CAF_TEST(every statement used is prepared) {
  auto rec = make(record_kind::license_create);
  rec.license = license_terms{};
  for (auto kind : {record_kind::deny, record_kind::heartbeat, record_kind::release}) {
    auto stmts = statements_for(make(kind));
    CAF_REQUIRE(stmts);
    for (auto& stmt : *stmts) {
      CAF_CHECK(is_prepared(stmt.name));
    }
  }
  auto license_stmts = statements_for(rec);
  CAF_REQUIRE(license_stmts);
  for (auto& stmt : *license_stmts) {
    CAF_CHECK(is_prepared(stmt.name));
  }
}

CAF_TEST(uuids are recognized) {
  CAF_CHECK(is_uuid(tenant));
  CAF_CHECK(!is_uuid("6f1c2a4e-0b1d-4c9e-9a53-2f6f0e8c1a0"));
  CAF_CHECK(!is_uuid("6f1c2a4e00b1d-4c9e-9a53-2f6f0e8c1a01"));
  CAF_CHECK(!is_uuid("6f1c2a4e-0b1d-4c9e-9a53-2f6f0e8c1a0g"));
}
