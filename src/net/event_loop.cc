// epoll-based EventLoop. Level-triggered: a callback that does not drain its fd is called again
// on the next iteration, which keeps per-connection fairness simple (read a bounded amount).
#include "net/event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

#include "core/time.h"

namespace gs::net {

Result<std::unique_ptr<EventLoop>> EventLoop::Create() {
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) return ErrnoError("epoll_create1", errno);
  int wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wakefd < 0) {
    int err = errno;
    close(epfd);
    return ErrnoError("eventfd", err);
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = 0;  // id 0 is the wake fd
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, wakefd, &ev) != 0) {
    int err = errno;
    close(epfd);
    close(wakefd);
    return ErrnoError("epoll_ctl(eventfd)", err);
  }
  return std::unique_ptr<EventLoop>(new EventLoop(epfd, wakefd));
}

EventLoop::~EventLoop() {
  close(wakefd_);
  close(epfd_);
}

Status EventLoop::Add(int fd, uint32_t events, IoCallback cb) {
  if (by_fd_.count(fd)) return AlreadyExistsError("fd already registered");
  uint64_t id = next_reg_id_++;
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = id;
  if (epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0) return ErrnoError("epoll_ctl(ADD)", errno);
  by_fd_[fd] = Registration{id, std::make_shared<IoCallback>(std::move(cb))};
  fd_by_id_[id] = fd;
  return Status::Ok();
}

Status EventLoop::Modify(int fd, uint32_t events) {
  auto it = by_fd_.find(fd);
  if (it == by_fd_.end()) return NotFoundError("fd not registered");
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = it->second.id;
  if (epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) != 0) return ErrnoError("epoll_ctl(MOD)", errno);
  return Status::Ok();
}

void EventLoop::Remove(int fd) {
  auto it = by_fd_.find(fd);
  if (it == by_fd_.end()) return;
  epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
  fd_by_id_.erase(it->second.id);
  by_fd_.erase(it);
}

EventLoop::TimerId EventLoop::RunAfter(int64_t delay_ms, Task fn) {
  if (delay_ms < 0) delay_ms = 0;
  TimerId id = next_timer_id_++;
  timers_.emplace(SystemTime().MonotonicNanos() + delay_ms * kNanosPerMilli, id);
  timer_tasks_.emplace(id, std::move(fn));
  return id;
}

void EventLoop::CancelTimer(TimerId id) {
  // The multimap entry stays until due; without a task it is skipped.
  timer_tasks_.erase(id);
}

void EventLoop::Post(Task fn) {
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    posted_.push_back(std::move(fn));
  }
  Wake();
}

void EventLoop::Stop() {
  stop_.store(true);
  Wake();
}

void EventLoop::Wake() {
  uint64_t one = 1;
  // EAGAIN means the counter is already non-zero: the loop will wake anyway.
  [[maybe_unused]] ssize_t n = write(wakefd_, &one, sizeof(one));
}

void EventLoop::RunPosted() {
  std::vector<Task> tasks;
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    tasks.swap(posted_);
  }
  for (auto& t : tasks) t();
}

int EventLoop::NextTimeoutMs() {
  while (!timers_.empty() && !timer_tasks_.count(timers_.begin()->second))
    timers_.erase(timers_.begin());
  if (timers_.empty()) return -1;
  int64_t wait = timers_.begin()->first - SystemTime().MonotonicNanos();
  if (wait <= 0) return 0;
  int64_t ms = (wait + kNanosPerMilli - 1) / kNanosPerMilli;
  return ms > 60'000 ? 60'000 : static_cast<int>(ms);
}

void EventLoop::RunDueTimers() {
  int64_t now = SystemTime().MonotonicNanos();
  while (!timers_.empty() && timers_.begin()->first <= now) {
    TimerId id = timers_.begin()->second;
    timers_.erase(timers_.begin());
    auto it = timer_tasks_.find(id);
    if (it == timer_tasks_.end()) continue;
    Task t = std::move(it->second);
    timer_tasks_.erase(it);
    t();
  }
}

void EventLoop::Run() {
  loop_thread_.store(std::this_thread::get_id());
  constexpr int kMaxEvents = 64;
  epoll_event events[kMaxEvents];
  while (!stop_.load()) {
    int n = epoll_wait(epfd_, events, kMaxEvents, NextTimeoutMs());
    if (n < 0 && errno != EINTR) break;  // only EBADF/EINVAL: a broken invariant
    for (int i = 0; i < n; ++i) {
      uint64_t id = events[i].data.u64;
      if (id == 0) {
        uint64_t count;
        [[maybe_unused]] ssize_t r = read(wakefd_, &count, sizeof(count));
        continue;
      }
      auto fit = fd_by_id_.find(id);
      if (fit == fd_by_id_.end()) continue;  // removed by an earlier callback in this batch
      std::shared_ptr<IoCallback> cb = by_fd_[fit->second].cb;
      (*cb)(events[i].events);
    }
    RunPosted();
    RunDueTimers();
  }
  stop_.store(false);
  loop_thread_.store(std::thread::id());
}

}  // namespace gs::net
