#pragma once

#include <caf/expected.hpp>

#include <memory>
#include <string>
#include <string_view>

// OpenSSL's key and signing context types, kept out of this header's includes.
struct evp_pkey_st;
struct evp_md_ctx_st;

namespace leasehold::crypto {

/// The public half of an Ed25519 key: verifies signatures. Cheap to copy (shared, immutable);
/// safe to use from several threads at once.
class verifying_key {
public:
  /// A key from its 32 raw public bytes (RFC 8032); an error for anything else.
  static caf::expected<verifying_key> from_raw(std::string_view raw);

  /// base64url of the first 12 bytes of SHA-256 over the raw public key.
  const std::string& kid() const { return kid_; }

  /// The 32 raw public bytes.
  const std::string& public_key_raw() const { return raw_; }

  /// True iff `signature` is this key's Ed25519 signature over `message`.
  bool verify(std::string_view message, std::string_view signature) const;

private:
  friend class signing_key;
  verifying_key(std::shared_ptr<evp_pkey_st> pkey, std::string raw);

  std::shared_ptr<evp_pkey_st> pkey_;
  std::string raw_;
  std::string kid_;
};

/// An Ed25519 private key that signs tokens. Cheap to copy (shared, immutable); safe to use
/// from several threads at once.
class signing_key {
public:
  /// A fresh random key.
  static signing_key generate();

  /// A key from an unencrypted PKCS#8 PEM text ("-----BEGIN PRIVATE KEY-----"); an error if
  /// the text is no PEM or holds another kind of key.
  static caf::expected<signing_key> from_pem(std::string_view pem);

  /// The key as unencrypted PKCS#8 PEM, which `from_pem` reads back. A secret.
  std::string private_pem() const;

  /// The key id of the public half (see `verifying_key::kid`).
  const std::string& kid() const { return public_.kid(); }

  /// The 32 raw public bytes.
  std::string public_key_raw() const { return public_.public_key_raw(); }

  /// The public half.
  const verifying_key& public_key() const { return public_; }

  /// The 64-byte Ed25519 signature over `message`.
  std::string sign(std::string_view message) const;

private:
  explicit signing_key(std::shared_ptr<evp_pkey_st> pkey);

  std::shared_ptr<evp_pkey_st> pkey_;
  /// A context initialised once for signing with the key; `sign` signs with a copy of it
  /// (copying only reads it, so the threads can share it).
  std::shared_ptr<const evp_md_ctx_st> prepared_;
  verifying_key public_;
};

} // namespace leasehold::crypto
