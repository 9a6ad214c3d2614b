#include "edge/cpu_affinity.hpp"

#include <sched.h>

namespace leasehold::edge {

std::vector<int> usable_cpus() {
  std::vector<int> ids;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    for (int id = 0; id < CPU_SETSIZE; ++id) {
      if (CPU_ISSET(id, &set)) {
        ids.push_back(id);
      }
    }
  }
  return ids;
}

bool pin_this_thread(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  auto any = false;
  for (auto id : cpus) {
    if (id >= 0 && id < CPU_SETSIZE) {
      CPU_SET(id, &set);
      any = true;
    }
  }
  // The kernel refuses a mask without a CPU the thread may use (EINVAL) and keeps the old one.
  return any && sched_setaffinity(0, sizeof(set), &set) == 0;
}

} // namespace leasehold::edge
