#pragma once

#include <vector>

namespace leasehold::edge {

/// The ids of the CPUs the calling thread may run on, ascending (at start-up: the process's
/// affinity mask, e.g. as narrowed by taskset or a container's cpuset).
std::vector<int> usable_cpus();

/// Lets the calling thread run only on `cpus`. False, with the thread's affinity unchanged, if
/// none of them can be used (empty, out of range, or outside the process's cpuset).
bool pin_this_thread(const std::vector<int>& cpus);

} // namespace leasehold::edge
