// `leasehold`: the license server's executable (`leasehold serve --help`).

#include "cluster/node.hpp"
#include "cluster/server_options.hpp"

#include <pthread.h>

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  using namespace leasehold::cluster;
  std::vector<std::string> args{argv + 1, argv + argc};
  auto cmd = parse_command_line(args, process_env());
  switch (cmd.what) {
  case parsed_command::action::help:
    std::cout << cmd.text;
    return 0;
  case parsed_command::action::fail:
    std::cerr << "leasehold: " << cmd.text << std::endl;
    return cmd.exit_code;
  case parsed_command::action::serve:
    break;
  }
  // Block the stop signals before any thread exists (CAF, Asio, libpq helpers): every thread
  // inherits the mask and only the main thread receives them, through sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return run_node(cmd.options, signals);
}
