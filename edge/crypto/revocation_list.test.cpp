#define CAF_SUITE crypto.revocation_list

#include "edge/crypto/revocation_list.hpp"

#include <caf/test/unit_test.hpp>

#include <string>

using namespace leasehold::crypto;

CAF_TEST(a revoked jti is reported until pruned after its expiry) {
  revocation_list list;
  CAF_CHECK(!list.is_revoked("j1"));
  list.revoke("j1", 200, 100);
  CAF_CHECK(list.is_revoked("j1"));
  CAF_CHECK(!list.is_revoked("j2"));
  CAF_CHECK_EQUAL(list.prune(199), 0u);
  CAF_CHECK(list.is_revoked("j1"));
  CAF_CHECK_EQUAL(list.prune(200), 1u);
  CAF_CHECK(!list.is_revoked("j1"));
  CAF_CHECK_EQUAL(list.size(), 0u);
}

CAF_TEST(revoking an already expired token stores nothing) {
  revocation_list list;
  list.revoke("j1", 100, 100);
  CAF_CHECK_EQUAL(list.size(), 0u);
}

CAF_TEST(revoking twice keeps the later expiry) {
  revocation_list list;
  list.revoke("j1", 300, 100);
  list.revoke("j1", 200, 100);
  CAF_CHECK_EQUAL(list.size(), 1u);
  CAF_CHECK_EQUAL(list.prune(250), 0u);
  CAF_CHECK(list.is_revoked("j1"));
}

CAF_TEST(growth prunes expired entries on the way) {
  revocation_list list{1};
  for (int i = 0; i < 1000; ++i) {
    list.revoke("old-" + std::to_string(i), 150, 100);
  }
  CAF_CHECK_EQUAL(list.size(), 1000u);
  // At time 200 the old entries are expired; crossing the prune threshold drops them.
  for (int i = 0; i < 100; ++i) {
    list.revoke("new-" + std::to_string(i), 500, 200);
  }
  CAF_CHECK_LESS(list.size(), 200u);
  CAF_CHECK(list.is_revoked("new-0"));
  CAF_CHECK(list.is_revoked("new-99"));
  CAF_CHECK(!list.is_revoked("old-0"));
}
