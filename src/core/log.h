// Logging facade. Components log through this, never straight to stderr, so the binary
// chooses the sink (stderr by default, JSON lines with --log-json). Messages are English.
// Tests never assert on log text: they assert on verdicts, records and counters.
#pragma once

#include <functional>
#include <string_view>

namespace gs {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

using LogSink = std::function<void(LogLevel, std::string_view component, std::string_view msg)>;

// Replaces the process-wide sink (thread-safe). Passing nullptr restores the stderr sink.
void SetLogSink(LogSink sink);
void SetMinLogLevel(LogLevel level);
LogLevel MinLogLevel();

void Log(LogLevel level, std::string_view component, std::string_view msg);
inline void LogInfo(std::string_view component, std::string_view msg) {
  Log(LogLevel::kInfo, component, msg);
}
inline void LogWarning(std::string_view component, std::string_view msg) {
  Log(LogLevel::kWarning, component, msg);
}
inline void LogError(std::string_view component, std::string_view msg) {
  Log(LogLevel::kError, component, msg);
}

}  // namespace gs
