#include "actors/tenant_records.hpp"

#include "actors/errc.hpp"

namespace leasehold {

namespace {

record make_record(const record_scope& scope, record_kind kind) {
  record rec;
  rec.kind = kind;
  rec.tenant_id = scope.tenant_id;
  rec.epoch = scope.epoch;
  rec.at = caf::make_timestamp();
  return rec;
}

} // namespace

record make_session_record(const record_scope& scope, record_kind kind, const session_record& s) {
  auto rec = make_record(scope, kind);
  rec.license_id = s.license_id;
  rec.session_id = s.id;
  rec.user_id = s.user_id;
  rec.hardware_id = s.hardware_id;
  if (!ends_session(kind)) {
    rec.session = s;
  }
  return rec;
}

record make_license_record(const record_scope& scope, record_kind kind,
                           const license_terms& terms) {
  auto rec = make_record(scope, kind);
  rec.license_id = terms.id;
  rec.license = terms;
  return rec;
}

record make_deny_record(const record_scope& scope, const std::string& license_id,
                        const acquire_request& req, const caf::error& reason) {
  auto rec = make_record(scope, record_kind::deny);
  rec.license_id = license_id;
  rec.user_id = req.who.user_id;
  rec.hardware_id = req.hardware_id;
  if (reason.category() == errc_category) {
    rec.detail["reason"] = to_string(static_cast<errc>(reason.code()));
  }
  rec.detail["message"] = error_message(reason);
  if (is_errc(reason, errc::no_seats_available)) {
    auto denial = error_seat_denial(reason);
    rec.detail["seats_used"] = std::to_string(denial.seats_used);
    rec.detail["seats_total"] = std::to_string(denial.seats_total);
    rec.detail["overdraft_seats"] = std::to_string(denial.overdraft_seats);
  }
  if (req.wait_seconds > 0) {
    rec.detail["wait_seconds"] = std::to_string(req.wait_seconds);
  }
  return rec;
}

} // namespace leasehold
