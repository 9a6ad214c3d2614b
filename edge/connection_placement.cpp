#include "edge/connection_placement.hpp"

#include <algorithm>
#include <utility>

namespace leasehold::edge {

connection_slot::connection_slot(std::shared_ptr<std::atomic<size_t>> count)
    : count_(std::move(count)) {
  count_->fetch_add(1, std::memory_order_relaxed);
}

connection_slot::~connection_slot() {
  if (count_) {
    count_->fetch_sub(1, std::memory_order_relaxed);
  }
}

connection_slot& connection_slot::operator=(connection_slot&& other) noexcept {
  if (this != &other) {
    if (count_) {
      count_->fetch_sub(1, std::memory_order_relaxed);
    }
    count_ = std::move(other.count_);
  }
  return *this;
}

connection_placement::connection_placement(size_t contexts, const std::vector<int>& cpus,
                                           size_t slack)
    : groups_(std::max<size_t>(1, std::min(contexts, cpus.size()))), slack_(slack) {
  for (size_t i = 0; i < std::max<size_t>(contexts, 1); ++i) {
    open_.push_back(std::make_shared<std::atomic<size_t>>(0));
  }
  for (size_t position = 0; position < cpus.size(); ++position) {
    auto id = cpus[position];
    if (id < 0) {
      continue;
    }
    if (static_cast<size_t>(id) >= group_of_cpu_.size()) {
      group_of_cpu_.resize(static_cast<size_t>(id) + 1, -1);
    }
    group_of_cpu_[static_cast<size_t>(id)] = static_cast<int>(position % groups_);
  }
}

template <class InGroup> size_t connection_placement::least_loaded(InGroup in_group) const {
  auto best = open_.size();
  for (size_t i = 0; i < open_.size(); ++i) {
    if (in_group(i) && (best == open_.size() || load(i) < load(best))) {
      best = i;
    }
  }
  return best;
}

int connection_placement::group_of(int cpu) const {
  if (cpu < 0 || static_cast<size_t>(cpu) >= group_of_cpu_.size()) {
    return -1;
  }
  return group_of_cpu_[static_cast<size_t>(cpu)];
}

size_t connection_placement::pick(int cpu) const {
  auto overall = least_loaded([](size_t) { return true; });
  auto group = group_of(cpu);
  if (group < 0) {
    return overall;
  }
  auto local = least_loaded([&](size_t i) { return i % groups_ == static_cast<size_t>(group); });
  return load(local) >= 2 * load(overall) + slack_ ? overall : local;
}

size_t connection_placement::place_again(int cpu, size_t current) const {
  auto group = group_of(cpu);
  if (group < 0 || current % groups_ == static_cast<size_t>(group)) {
    return current;
  }
  auto target = pick(cpu);
  return target % groups_ == current % groups_ ? current : target;
}

connection_slot connection_placement::occupy(size_t index) { return connection_slot{open_[index]}; }

size_t connection_placement::load(size_t index) const {
  return open_[index]->load(std::memory_order_relaxed);
}

std::vector<int> connection_placement::cpus_of(size_t index) const {
  std::vector<int> ids;
  for (size_t id = 0; id < group_of_cpu_.size(); ++id) {
    if (group_of_cpu_[id] == static_cast<int>(index % groups_)) {
      ids.push_back(static_cast<int>(id));
    }
  }
  return ids;
}

} // namespace leasehold::edge
