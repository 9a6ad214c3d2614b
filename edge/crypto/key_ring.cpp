#include "edge/crypto/key_ring.hpp"

#include "edge/crypto/base64url.hpp"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

namespace leasehold::crypto {

key_ring::key_ring(std::vector<verifying_key> keys) {
  for (auto& key : keys) {
    add(std::move(key));
  }
}

void key_ring::add(verifying_key key) {
  if (find(key.kid()) == nullptr) {
    keys_.push_back(std::move(key));
  }
}

const verifying_key* key_ring::find(std::string_view kid) const {
  for (auto& key : keys_) {
    if (key.kid() == kid) {
      return &key;
    }
  }
  return nullptr;
}

bool key_ring::verify(std::string_view kid, std::string_view message,
                      std::string_view signature) const {
  auto key = find(kid);
  if (key == nullptr) {
    return false;
  }
  signature_checks_.fetch_add(1, std::memory_order_relaxed);
  return key->verify(message, signature);
}

std::string key_ring::jwks_json() const {
  google::protobuf::Struct jwks;
  auto list = (*jwks.mutable_fields())["keys"].mutable_list_value();
  for (auto& key : keys_) {
    auto fields = list->add_values()->mutable_struct_value()->mutable_fields();
    (*fields)["kty"].set_string_value("OKP");
    (*fields)["crv"].set_string_value("Ed25519");
    (*fields)["x"].set_string_value(base64url_encode(key.public_key_raw()));
    (*fields)["kid"].set_string_value(key.kid());
    (*fields)["alg"].set_string_value("EdDSA");
    (*fields)["use"].set_string_value("sig");
  }
  std::string out;
  // Printing a Struct of strings cannot fail.
  static_cast<void>(google::protobuf::util::MessageToJsonString(jwks, &out));
  return out;
}

} // namespace leasehold::crypto
