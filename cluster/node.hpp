#pragma once

#include "edge/server_options.hpp"

#include <csignal>
#include <functional>
#include <string>

namespace leasehold::cluster {

/// Hooks of a running node (tests use them; `leasehold serve` prints to stdout).
struct node_hooks {
  /// Called once the HTTP server listens, with its bound "HOST:PORT".
  std::function<void(const std::string& address)> on_listening;
};

/// Runs one node until one of `signals` arrives (they must be blocked in every thread
/// already, before this is called): embedded or external PostgreSQL, migrations, signing keys,
/// the actor system with record store, tenant directory, accounts and audit reader, the token
/// service and the HTTP server. Then stops HTTP, the actors, the actor system and the embedded
/// PostgreSQL, in that order. Returns the process exit code (0 after a signal, 1 if start-up
/// failed).
int run_node(const edge::server_options& opts, const sigset_t& signals, node_hooks hooks = {});

} // namespace leasehold::cluster
