#include "actors/license_rules.hpp"

#include "actors/errc.hpp"

#include <vector>

namespace leasehold {

bool is_acquirable(license_status status) {
  return status == license_status::active || status == license_status::trial;
}

caf::error check_acquirable(const license_terms& terms, caf::timestamp now) {
  switch (effective_status(terms, now)) {
  case license_status::active:
  case license_status::trial:
    return caf::none;
  case license_status::expired:
    return make_error(errc::license_expired, "license " + terms.id + " has expired");
  case license_status::suspended:
    return make_error(errc::license_suspended, "license " + terms.id + " is suspended");
  case license_status::cancelled:
    return make_error(errc::license_cancelled, "license " + terms.id + " is cancelled");
  }
  return make_error(errc::internal, "license " + terms.id + " has an unknown status");
}

caf::error validate_terms(const license_terms& terms) {
  if (terms.session_ttl < 2) {
    return make_error(errc::bad_request, "session_ttl must be at least 2 seconds");
  }
  if (terms.heartbeat_interval < 1) {
    return make_error(errc::bad_request, "heartbeat_interval must be at least 1 second");
  }
  if (terms.heartbeat_interval >= terms.session_ttl) {
    return make_error(errc::bad_request, "heartbeat_interval must be less than session_ttl");
  }
  return caf::none;
}

seat_ledger* select_license(std::map<std::string, seat_ledger>& ledgers, const acquire_request& req,
                            caf::timestamp now) {
  if (!req.license_id.empty()) {
    auto i = ledgers.find(req.license_id);
    return i != ledgers.end() ? &i->second : nullptr;
  }
  auto product = req.product.empty() ? std::string{default_product} : req.product;
  auto is_default = product == default_product;
  // Oldest first, so that the choice is stable when a product has several licenses.
  auto older = [](const seat_ledger* x, const seat_ledger* y) {
    return x->terms().created_at < y->terms().created_at;
  };
  seat_ledger* granting = nullptr;  // acquirable, for the product
  seat_ledger* refusing = nullptr;  // not acquirable, for the product
  std::vector<seat_ledger*> active; // acquirable, any product
  for (auto& [id, ledger] : ledgers) {
    auto ok = is_acquirable(effective_status(ledger.terms(), now));
    if (ok) {
      active.push_back(&ledger);
    }
    if (ledger.terms().product != product) {
      continue;
    }
    auto*& slot = ok ? granting : refusing;
    if (slot == nullptr || older(&ledger, slot)) {
      slot = &ledger;
    }
  }
  if (granting != nullptr) {
    return granting;
  }
  if (is_default && active.size() == 1) {
    return active.front();
  }
  if (refusing != nullptr) {
    return refusing;
  }
  if (is_default && active.empty() && ledgers.size() == 1) {
    return &ledgers.begin()->second; // the only license: say why it grants nothing
  }
  return nullptr;
}

} // namespace leasehold
