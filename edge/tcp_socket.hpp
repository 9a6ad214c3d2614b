#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

namespace leasehold::edge {

/// A connection's socket, bound to one io_context (and so to one I/O thread).
using tcp_socket =
  boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

/// The CPU that received the connection's last packet (SO_INCOMING_CPU), or -1.
int incoming_cpu(tcp_socket& socket);

/// The same connection, bound to `ioc`: its descriptor leaves the reactor of its old context
/// for that of `ioc`. Call with no operation pending on `socket`. On failure `ec` is set and
/// the connection is closed.
tcp_socket move_socket(boost::asio::io_context& ioc, tcp_socket socket,
                       boost::system::error_code& ec);

} // namespace leasehold::edge
