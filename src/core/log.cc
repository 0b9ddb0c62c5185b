// Default stderr log sink: "2026-11-25T08:30:00.123Z W audit: message".
#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include "core/time.h"

namespace gs {
namespace {

std::mutex& SinkMutex() {
  static std::mutex m;
  return m;
}
LogSink& Sink() {
  static LogSink s;
  return s;
}
std::atomic<int>& MinLevel() {
  static std::atomic<int> level{int(LogLevel::kInfo)};
  return level;
}

}  // namespace

void SetLogSink(LogSink sink) {
  std::lock_guard<std::mutex> lock(SinkMutex());
  Sink() = std::move(sink);
}

void SetMinLogLevel(LogLevel level) { MinLevel().store(int(level)); }
LogLevel MinLogLevel() { return LogLevel(MinLevel().load()); }

void Log(LogLevel level, std::string_view component, std::string_view msg) {
  if (int(level) < MinLevel().load()) return;
  std::lock_guard<std::mutex> lock(SinkMutex());
  if (Sink()) {
    Sink()(level, component, msg);
    return;
  }
  static constexpr char kLetters[] = "DIWE";
  std::string line = FormatRfc3339(SystemTime().Now() / kNanosPerMilli * kNanosPerMilli);
  line += ' ';
  line += kLetters[int(level)];
  line += ' ';
  line += component;
  line += ": ";
  line += msg;
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace gs
