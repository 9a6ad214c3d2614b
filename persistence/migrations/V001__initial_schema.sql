-- The system of record. Every table that belongs to a tenant carries tenant_id (first in its
-- primary key where it has one), so the schema can be distributed by tenant later.

CREATE TABLE tenants (
  id          uuid PRIMARY KEY,
  name        text NOT NULL,
  slug        text NOT NULL UNIQUE,
  status      text NOT NULL DEFAULT 'active'
              CHECK (status IN ('active', 'trial', 'suspended', 'cancelled')),
  stripe_customer_id text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL,
  email         text NOT NULL,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'guest')),
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
-- An email is one account across all tenants (login takes only email and password).
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE UNIQUE INDEX users_id_key ON users (id);

CREATE TABLE licenses (
  tenant_id          uuid NOT NULL REFERENCES tenants (id),
  id                 uuid NOT NULL,
  key                text NOT NULL,
  product            text NOT NULL DEFAULT 'default',
  tier               text NOT NULL CHECK (tier IN ('free', 'pro', 'team', 'enterprise')),
  status             text NOT NULL
                     CHECK (status IN ('active', 'trial', 'suspended', 'cancelled')),
  seats_total        integer NOT NULL CHECK (seats_total >= 0),
  overdraft_seats    integer NOT NULL DEFAULT 0 CHECK (overdraft_seats >= 0),
  expires_at         timestamptz,
  features           jsonb NOT NULL DEFAULT '{}',
  heartbeat_interval integer NOT NULL CHECK (heartbeat_interval >= 1),
  session_ttl        integer NOT NULL CHECK (session_ttl >= 2),
  offline_grace      integer NOT NULL CHECK (offline_grace >= 0),
  max_devices        integer NOT NULL DEFAULT 0 CHECK (max_devices >= 0),
  stripe_subscription_id text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (heartbeat_interval < session_ttl)
);
CREATE UNIQUE INDEX licenses_key_key ON licenses (key);
CREATE UNIQUE INDEX licenses_id_key ON licenses (id);

-- A session row is written when a seat is granted and closed (ended_at) when it ends.
CREATE TABLE sessions (
  tenant_id         uuid NOT NULL,
  id                uuid NOT NULL,
  license_id        uuid NOT NULL,
  user_id           uuid NOT NULL,
  user_email        text NOT NULL,
  hardware_id       text NOT NULL,
  hostname          text NOT NULL DEFAULT '',
  os                text NOT NULL DEFAULT '',
  version           text NOT NULL DEFAULT '',
  acquired_at       timestamptz NOT NULL,
  last_heartbeat_at timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  ended_at          timestamptz,
  end_reason        text CHECK (end_reason IN ('release', 'expire', 'revoke')),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, license_id) REFERENCES licenses (tenant_id, id)
);
CREATE INDEX sessions_live ON sessions (tenant_id) WHERE ended_at IS NULL;

CREATE TABLE audit_log (
  tenant_id   uuid NOT NULL,
  id          bigserial NOT NULL,
  license_id  uuid,
  action      text NOT NULL CHECK (action IN ('acquire', 'deny', 'release', 'expire', 'revoke',
                                              'license_update', 'provision', 'billing',
                                              'validate')),
  session_id  uuid,
  user_id     uuid,
  hardware_id text,
  at          timestamptz NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_by_license ON audit_log (tenant_id, license_id, id DESC);

-- Logged-out access tokens, kept until they would have expired anyway.
CREATE TABLE revoked_tokens (
  tenant_id  uuid NOT NULL,
  jti        text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, jti)
);
CREATE UNIQUE INDEX revoked_tokens_jti ON revoked_tokens (jti);

-- Ed25519 keys that sign tokens. Retired keys stay published while tokens they signed live.
CREATE TABLE signing_keys (
  kid         text PRIMARY KEY,
  private_pem text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  retired_at  timestamptz
);

-- Machines bound to a license key by validation (key-based validation).
CREATE TABLE devices (
  tenant_id  uuid NOT NULL,
  license_id uuid NOT NULL,
  machine_id text NOT NULL,
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, license_id, machine_id)
);

-- Stripe events processed exactly once.
CREATE TABLE webhook_events (
  event_id     text PRIMARY KEY,
  tenant_id    uuid,
  type         text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);

-- Cluster membership and tenant ownership fencing.
CREATE TABLE cluster_members (
  node_id    text PRIMARY KEY,
  address    text NOT NULL,
  status     text NOT NULL CHECK (status IN ('up', 'down', 'leaving')),
  renewed_at timestamptz NOT NULL DEFAULT now(),
  joined_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_owner (
  tenant_id uuid PRIMARY KEY,
  node_id   text NOT NULL,
  epoch     bigint NOT NULL,
  taken_at  timestamptz NOT NULL DEFAULT now()
);
