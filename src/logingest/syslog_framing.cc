// RFC 6587 framing state machine over a growing buffer. Consumed bytes are erased in one go at
// the end of each Drain() so the work per Feed() is linear in the bytes fed.
#include "logingest/syslog_framing.h"

namespace gs::logingest {
namespace {
constexpr std::string_view kInvalidOctetCount = "invalid_octet_count";
constexpr std::string_view kFrameSplit = "frame_split";
constexpr std::string_view kUnterminated = "unterminated_frame";
constexpr size_t kMaxLenDigits = 9;
}  // namespace

void SyslogStreamFramer::Emit(std::string_view frame, std::vector<std::string_view> anomalies) {
  if (fallback_note_) {
    anomalies.push_back(kInvalidOctetCount);
    fallback_note_ = false;
  }
  fn_(frame, anomalies);
}

void SyslogStreamFramer::Feed(std::string_view data) {
  buf_.append(data);
  Drain();
}

void SyslogStreamFramer::Drain() {
  size_t pos = 0;
  while (pos < buf_.size()) {
    if (mode_ == SyslogFraming::kUndetected) {
      mode_ = (buf_[pos] >= '0' && buf_[pos] <= '9') ? SyslogFraming::kOctetCounting
                                                     : SyslogFraming::kNonTransparent;
    }
    if (mode_ == SyslogFraming::kOctetCounting) {
      if (!in_frame_) {
        size_t i = pos;
        size_t len = 0;
        while (i < buf_.size() && i - pos < kMaxLenDigits && buf_[i] >= '0' && buf_[i] <= '9') {
          len = len * 10 + static_cast<size_t>(buf_[i] - '0');
          ++i;
        }
        if (i == buf_.size() && i - pos <= kMaxLenDigits) break;  // header incomplete
        bool ok = i > pos && buf_[pos] != '0' && i < buf_.size() && buf_[i] == ' ' && len > 0;
        if (!ok) {
          // Not an octet-counted stream after all (or corrupted): keep every byte and go on
          // with LF/NUL framing from here.
          mode_ = SyslogFraming::kNonTransparent;
          fallback_note_ = true;
          continue;
        }
        pos = i + 1;
        want_ = len;
        in_frame_ = true;
        split_ = false;
      }
      size_t avail = buf_.size() - pos;
      if (avail >= want_ && want_ <= max_frame_) {
        std::vector<std::string_view> a;
        if (split_) a.push_back(kFrameSplit);
        Emit(std::string_view(buf_).substr(pos, want_), std::move(a));
        pos += want_;
        in_frame_ = false;
        continue;
      }
      if (avail >= max_frame_) {
        size_t n = max_frame_;
        Emit(std::string_view(buf_).substr(pos, n), {kFrameSplit});
        pos += n;
        want_ -= n;
        split_ = true;
        continue;
      }
      break;
    }
    // Non-transparent framing.
    // Resume where the previous Drain() stopped looking (a slow sender must not make this
    // quadratic); the partial frame it left is at the front of buf_ now.
    size_t end = pos + scanned_;
    scanned_ = 0;
    while (end < buf_.size() && buf_[end] != '\n' && buf_[end] != '\0') ++end;
    if (end - pos > max_frame_) {
      Emit(std::string_view(buf_).substr(pos, max_frame_), {kFrameSplit});
      pos += max_frame_;
      split_ = true;
      continue;
    }
    if (end == buf_.size()) {
      scanned_ = end - pos;
      break;
    }
    std::string_view frame = std::string_view(buf_).substr(pos, end - pos);
    if (!frame.empty() && frame.back() == '\r' && buf_[end] == '\n') frame.remove_suffix(1);
    if (!frame.empty()) {
      std::vector<std::string_view> a;
      if (split_) a.push_back(kFrameSplit);
      Emit(frame, std::move(a));
    }
    split_ = false;
    pos = end + 1;
  }
  buf_.erase(0, pos);
}

void SyslogStreamFramer::Finish() {
  if (mode_ == SyslogFraming::kOctetCounting && !in_frame_ && !buf_.empty()) {
    // A dangling length header without its message: keep it as data.
    fallback_note_ = true;
  }
  if (!buf_.empty()) {
    std::vector<std::string_view> a{kUnterminated};
    if (split_) a.push_back(kFrameSplit);
    std::string_view frame(buf_);
    if (mode_ != SyslogFraming::kOctetCounting && frame.back() == '\r') frame.remove_suffix(1);
    Emit(frame, std::move(a));
  }
  buf_.clear();
  scanned_ = 0;
  in_frame_ = false;
  split_ = false;
}

}  // namespace gs::logingest
