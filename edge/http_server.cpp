#include "edge/http_server.hpp"

#include "actors/errc.hpp"
#include "edge/cpu_affinity.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <iostream>
#include <thread>

namespace leasehold::edge {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

bool split_host_port(const std::string& listen, std::string& host, uint16_t& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
    return false;
  }
  host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  auto digits = listen.substr(colon + 1);
  if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  auto value = std::stoul(digits);
  if (value > 65535) {
    return false;
  }
  port = static_cast<uint16_t>(value);
  return true;
}

namespace {

// How often the sweeper looks at deadlines: a fraction of the shortest timeout, so that a
// connection is closed at most a quarter of its timeout late.
std::chrono::milliseconds sweep_interval(const session_limits& limits) {
  auto shortest = std::min(
    {limits.first_header_timeout, limits.idle_timeout, limits.body_timeout, limits.write_timeout});
  auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(shortest) / 4;
  return std::clamp(interval, std::chrono::milliseconds{10}, std::chrono::milliseconds{1000});
}

} // namespace

http_server::http_server(const router& routes, session_limits limits)
    : shared_(std::make_shared<session_shared>(routes, metrics_, limits)) {
  // nop
}

http_server::~http_server() { stop(std::chrono::milliseconds{0}); }

caf::expected<tcp::endpoint> http_server::start(const std::string& listen, size_t threads,
                                                bool pin_threads) {
  std::string host;
  uint16_t port = 0;
  if (!split_host_port(listen, host, port)) {
    return make_error(errc::bad_request, "--listen must be HOST:PORT, got '" + listen + "'");
  }
  auto cpus = usable_cpus();
  if (threads == 0) {
    // One per CPU, like the placement's groups. Two per CPU gave up to 15 % more heartbeats in
    // some runs, but a request often waited for its thread's sibling to end its time slice:
    // the heartbeat p99 was 3.9-5.7 ms against 2.2-3.0 ms (bench/RESULTS.md).
    threads = std::max<size_t>(1, cpus.size());
  }
  pool_ = std::make_unique<io_context_pool>(threads);
  placement_ = std::make_unique<connection_placement>(pool_->size(), cpus);
  shared_->relocate = [this](const std::shared_ptr<http_session>& session) {
    return relocate(session);
  };
  for (size_t i = 0; i < pool_->size(); ++i) {
    sweepers_.push_back(
      std::make_unique<connection_sweeper>(pool_->at(i), sweep_interval(shared_->limits)));
  }
  acceptor_ = std::make_unique<tcp::acceptor>(pool_->at(0));
  boost::system::error_code ec;
  tcp::resolver resolver{pool_->at(0)};
  auto results = resolver.resolve(host, std::to_string(port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return make_error(errc::bad_request, "cannot resolve '" + host + "': " + ec.message());
  }
  auto ep = results.begin()->endpoint();
  acceptor_->open(ep.protocol(), ec);
  if (!ec) {
    acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor_->bind(ep, ec);
  }
  if (!ec) {
    acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return make_error(errc::unavailable, "cannot listen on " + listen + ": " + ec.message());
  }
  auto bound = acceptor_->local_endpoint(ec);
  for (size_t i = 0; i < pool_->size(); ++i) {
    asio::post(pool_->at(i), [sweeper = sweepers_[i].get()] { sweeper->start(); });
  }
  do_accept();
  std::vector<std::vector<int>> thread_cpus;
  for (size_t i = 0; pin_threads && i < pool_->size(); ++i) {
    thread_cpus.push_back(placement_->cpus_of(i));
  }
  pool_->run(thread_cpus);
  return bound;
}

void http_server::do_accept() {
  // Accepted on the first context, then served by the one placed for its CPU.
  acceptor_->async_accept(pool_->at(0).get_executor(),
                          [this](boost::system::error_code ec, http_session::socket_type socket) {
                            if (ec == asio::error::operation_aborted || !acceptor_->is_open()) {
                              return; // stopping
                            }
                            on_accept(ec, std::move(socket));
                            do_accept();
                          });
}

void http_server::on_accept(boost::system::error_code ec, http_session::socket_type socket) {
  auto index = ec ? 0 : placement_->pick(incoming_cpu(socket));
  if (!ec && index != 0) {
    socket = move_socket(pool_->at(index), std::move(socket), ec);
  }
  if (ec) {
    // E.g. too many open files: keep accepting; the next attempt may succeed.
    std::cerr << "http: accept failed: " << ec.message() << std::endl;
    return;
  }
  boost::system::error_code opt_ec;
  socket.set_option(tcp::no_delay(true), opt_ec);
  start_on(index, std::make_shared<http_session>(std::move(socket), shared_,
                                                 placement_->occupy(index), index));
}

bool http_server::relocate(const std::shared_ptr<http_session>& session) {
  auto from = session->context();
  auto to = placement_->place_again(session->incoming_cpu(), from);
  if (to == from) {
    return false;
  }
  sweepers_[from]->remove(session.get());
  if (!session->move_to(pool_->at(to), to, placement_->occupy(to))) {
    return true; // closed: it ends when its last handle goes
  }
  metrics_.connection_moved();
  start_on(to, session);
  return true;
}

void http_server::start_on(size_t context, std::shared_ptr<http_session> session) {
  asio::post(pool_->at(context),
             [session = std::move(session), sweeper = sweepers_[context].get()] {
               session->start(*sweeper);
             });
}

void http_server::stop(std::chrono::milliseconds grace) {
  if (stopped_ || !pool_) {
    stopped_ = true;
    return;
  }
  stopped_ = true;
  shared_->stopping = true;
  asio::post(pool_->at(0), [this] {
    boost::system::error_code ec;
    acceptor_->close(ec);
  });
  // Requests in flight may still get their answer; nothing new is read.
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (shared_->in_flight.sum() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  pool_->stop();
}

} // namespace leasehold::edge
