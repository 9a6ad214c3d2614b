#include "edge/connection_sweeper.hpp"

#include "edge/http_session.hpp"

namespace leasehold::edge {

connection_sweeper::connection_sweeper(boost::asio::io_context& ioc,
                                       std::chrono::milliseconds interval)
    : timer_(ioc), interval_(interval) {
  // nop
}

void connection_sweeper::add(const std::shared_ptr<http_session>& session) {
  sessions_.push_back(session);
}

void connection_sweeper::remove(const http_session* session) {
  for (size_t i = 0; i < sessions_.size(); ++i) {
    if (sessions_[i].lock().get() == session) {
      sessions_[i] = std::move(sessions_.back());
      sessions_.pop_back();
      return;
    }
  }
}

void connection_sweeper::start() {
  timer_.expires_after(interval_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) {
      tick();
    }
  });
}

void connection_sweeper::tick() {
  auto now = std::chrono::steady_clock::now();
  for (size_t i = 0; i < sessions_.size();) {
    if (auto session = sessions_[i].lock()) {
      session->expire_if_due(now);
      ++i;
    } else {
      // Gone: swap with the last entry (order does not matter).
      sessions_[i] = std::move(sessions_.back());
      sessions_.pop_back();
    }
  }
  start();
}

} // namespace leasehold::edge
