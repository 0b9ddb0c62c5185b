// EventLoop: a small level-triggered epoll loop for non-blocking sockets (see
// docs/adr/0002-event-loop.md for why we do not use Boost.Asio).
//
// One loop is driven by one thread (the thread that calls Run()). fd registration, timers and
// callbacks all happen on that thread. Post() and Stop() are the only members that may be
// called from other threads. Callbacks must not block for long: everything on the loop waits.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace gs::net {

class EventLoop {
 public:
  // Receives the epoll event mask (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP).
  using IoCallback = std::function<void(uint32_t events)>;
  using Task = std::function<void()>;
  using TimerId = uint64_t;

  // IoError if epoll or eventfd cannot be created.
  static Result<std::unique_ptr<EventLoop>> Create();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Loop thread (or before Run()). Registers `fd` (not owned) for `events`. The callback may
  // add, modify or remove any registration, including its own. AlreadyExists if registered.
  Status Add(int fd, uint32_t events, IoCallback cb);
  // NotFound if `fd` is not registered.
  Status Modify(int fd, uint32_t events);
  // Forgets `fd`; pending events for it in the current batch are dropped. Does not close it.
  void Remove(int fd);

  // Loop thread. Runs `fn` once after `delay_ms` (>= 0). Returns an id for CancelTimer.
  TimerId RunAfter(int64_t delay_ms, Task fn);
  void CancelTimer(TimerId id);

  // Any thread. Runs `fn` on the loop thread soon (FIFO). Tasks posted after Stop() are
  // dropped when the loop is destroyed.
  void Post(Task fn);
  // Any thread. Makes Run() return after the current iteration.
  void Stop();

  // Dispatches events until Stop(). Call from exactly one thread at a time.
  void Run();
  bool InLoopThread() const { return std::this_thread::get_id() == loop_thread_.load(); }

 private:
  EventLoop(int epfd, int wakefd) : epfd_(epfd), wakefd_(wakefd) {}
  void Wake();
  void RunPosted();
  int NextTimeoutMs();
  void RunDueTimers();

  struct Registration {
    uint64_t id;
    std::shared_ptr<IoCallback> cb;  // shared: a callback may remove itself while running
  };
  const int epfd_;
  const int wakefd_;
  uint64_t next_reg_id_ = 1;
  std::unordered_map<int, Registration> by_fd_;
  std::unordered_map<uint64_t, int> fd_by_id_;
  TimerId next_timer_id_ = 1;
  std::multimap<int64_t, TimerId> timers_;  // deadline (monotonic ns) -> id
  std::unordered_map<TimerId, Task> timer_tasks_;
  std::mutex posted_mu_;
  std::vector<Task> posted_;
  std::atomic<bool> stop_{false};
  std::atomic<std::thread::id> loop_thread_{};
};

}  // namespace gs::net
