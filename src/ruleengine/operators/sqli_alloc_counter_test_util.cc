// Global operator new/delete replacement for detect_sqli_test: counts allocations while enabled,
// so tests can prove that warm transformation chains do not allocate. Kept in its own
// translation unit so the compiler cannot pair inlined new/delete bodies across call sites.
#include <atomic>
#include <cstdlib>
#include <new>

namespace gs::operators::testing {
std::atomic<bool> g_count_allocations{false};
std::atomic<size_t> g_allocations{0};
}  // namespace gs::operators::testing

void* operator new(size_t n) {
  if (gs::operators::testing::g_count_allocations.load(std::memory_order_relaxed)) {
    gs::operators::testing::g_allocations.fetch_add(1, std::memory_order_relaxed);
  }
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
