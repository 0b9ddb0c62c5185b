// Splits a syslog TCP byte stream into messages (RFC 6587). The framing is detected once per
// connection from its first byte: a digit means octet-counting ("LEN SP MSG", §3.4.1), anything
// else means non-transparent framing where LF or NUL ends a message (§3.4.2; a CR before the LF
// is dropped). Problems are reported with each frame as anomaly codes, never by dropping bytes:
//   invalid_octet_count  a bad "LEN SP" header; the connection falls back to LF/NUL framing
//   frame_split          a frame longer than max_frame was delivered in max_frame pieces
//   unterminated_frame   the connection ended inside a frame (delivered as is)
// Empty frames (blank lines between messages) carry no data and are skipped.
//
// Thread-compatible: one framer per connection.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gs::logingest {

enum class SyslogFraming { kUndetected, kOctetCounting, kNonTransparent };

class SyslogStreamFramer {
 public:
  // Called once per message; the view is valid only during the call.
  using FrameFn =
      std::function<void(std::string_view frame, const std::vector<std::string_view>& anomalies)>;

  SyslogStreamFramer(size_t max_frame, FrameFn fn) : max_frame_(max_frame), fn_(std::move(fn)) {}

  // Feeds the next bytes of the stream (any split).
  void Feed(std::string_view data);
  // The stream ended: delivers a partial frame, if any, flagged unterminated_frame.
  void Finish();

  SyslogFraming framing() const { return mode_; }
  size_t buffered() const { return buf_.size(); }

 private:
  void Drain();
  void Emit(std::string_view frame, std::vector<std::string_view> anomalies);

  const size_t max_frame_;
  FrameFn fn_;
  SyslogFraming mode_ = SyslogFraming::kUndetected;
  std::string buf_;
  // Octet counting: bytes still owed to the current frame (0 = reading a length header).
  size_t want_ = 0;
  size_t scanned_ = 0;  // LF/NUL framing: bytes at the front of buf_ known to hold no delimiter
  bool in_frame_ = false;
  bool split_ = false;          // current frame was already partly delivered
  bool fallback_note_ = false;  // next frame carries invalid_octet_count
};

}  // namespace gs::logingest
