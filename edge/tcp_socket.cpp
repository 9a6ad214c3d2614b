#include "edge/tcp_socket.hpp"

#include <sys/socket.h>
#include <unistd.h>

namespace leasehold::edge {

int incoming_cpu(tcp_socket& socket) {
  int cpu = -1;
#ifdef SO_INCOMING_CPU
  socklen_t size = sizeof(cpu);
  if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_INCOMING_CPU, &cpu, &size) != 0) {
    cpu = -1;
  }
#endif
  return cpu;
}

tcp_socket move_socket(boost::asio::io_context& ioc, tcp_socket socket,
                       boost::system::error_code& ec) {
  tcp_socket moved{ioc};
  auto protocol = socket.local_endpoint(ec).protocol();
  if (ec) {
    return moved;
  }
  auto fd = socket.release(ec);
  if (ec) {
    return moved;
  }
  moved.assign(protocol, fd, ec);
  if (ec) {
    ::close(fd);
  }
  return moved;
}

} // namespace leasehold::edge
