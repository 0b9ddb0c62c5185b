// RFC 5424 §6 grammar, checked field by field; RFC 3164 §4.1 with the common real-world
// deviations (no hostname, RFC 3339 timestamps from newer BSD senders). Anything that does not
// fit is kept verbatim in "msg" and flagged.
#include "logingest/syslog_parser.h"

#include <algorithm>
#include <cstdint>

#include "logingest/json_writer.h"

namespace gs::logingest {
namespace {

constexpr std::string_view kMissingPri = "missing_pri";
constexpr std::string_view kInvalidPri = "invalid_pri";
constexpr std::string_view kPriLeadingZero = "pri_leading_zero";
constexpr std::string_view kUnsupportedVersion = "unsupported_version";
constexpr std::string_view kTruncatedHeader = "truncated_header";
constexpr std::string_view kInvalidHeaderField = "invalid_header_field";
constexpr std::string_view kFieldTooLong = "field_too_long";
constexpr std::string_view kInvalidTimestamp = "invalid_timestamp";
constexpr std::string_view kInvalidSd = "invalid_structured_data";
constexpr std::string_view kDuplicateSdId = "duplicate_sd_id";
constexpr std::string_view kInvalidUtf8 = "invalid_utf8";
constexpr std::string_view kEmptyMessage = "empty_message";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsPrintUsAscii(char c) { return c >= 33 && c <= 126; }

void AddAnomaly(SyslogMessage* m, std::string_view code) {
  if (std::find(m->anomalies.begin(), m->anomalies.end(), code) == m->anomalies.end())
    m->anomalies.push_back(code);
}

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

int Num(std::string_view s, size_t pos, size_t len) {
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (i >= s.size() || !IsDigit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// RFC 5424 §6.2.3 FULL-DATE "T" FULL-TIME with at most 6 fraction digits; 'T' and 'Z' upper case.
std::optional<UnixNanos> ParseRfc5424Time(std::string_view s) {
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  int y = Num(s, 0, 4), mo = Num(s, 5, 2), d = Num(s, 8, 2);
  int h = Num(s, 11, 2), mi = Num(s, 14, 2), se = Num(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 ||
      se > 59)
    return std::nullopt;
  if (static_cast<unsigned>(d) > DaysInMonth(y, static_cast<unsigned>(mo))) return std::nullopt;
  size_t i = 19;
  int64_t frac = 0;
  if (i < s.size() && s[i] == '.') {
    size_t start = ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    size_t digits = i - start;
    if (digits == 0 || digits > 6) return std::nullopt;
    frac = Num(s, start, digits);
    for (size_t k = digits; k < 9; ++k) frac *= 10;
  }
  int64_t offset_s = 0;
  if (i < s.size() && s[i] == 'Z') {
    ++i;
  } else if (i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
    int oh = Num(s, i + 1, 2), om = Num(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
    offset_s = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - offset_s;
  // UnixNanos spans 1677..2262; other years are valid RFC 5424 but not representable.
  if (secs >= INT64_MAX / kNanosPerSecond || secs <= INT64_MIN / kNanosPerSecond)
    return std::nullopt;
  return secs * kNanosPerSecond + frac;
}

// RFC 3164 "Mmm dd hh:mm:ss" (day space-padded). Year from the receive time (see header).
std::optional<UnixNanos> ParseBsdTime(std::string_view s, UnixNanos receive_time) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 15 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':')
    return std::nullopt;
  int mo = 0;
  for (int k = 0; k < 12; ++k)
    if (s.substr(0, 3) == kMonths[k]) mo = k + 1;
  if (mo == 0) return std::nullopt;
  int d = s[4] == ' ' ? Num(s, 5, 1) : Num(s, 4, 2);
  int h = Num(s, 7, 2), mi = Num(s, 10, 2), se = Num(s, 13, 2);
  if (d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
    return std::nullopt;
  int64_t ry;
  unsigned rm, rd;
  int64_t rdays = receive_time / kNanosPerSecond / 86400;
  if (receive_time < 0) --rdays;
  CivilFromDays(rdays, &ry, &rm, &rd);
  // Try this year, then last year (a December message received in January), then next year.
  for (int64_t y : {ry, ry - 1, ry + 1}) {
    if (static_cast<unsigned>(d) > DaysInMonth(y, static_cast<unsigned>(mo))) continue;
    int64_t secs = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                   h * 3600 + mi * 60 + se;
    UnixNanos t = secs * kNanosPerSecond;
    if (t <= receive_time + kNanosPerDay && t > receive_time - 300 * kNanosPerDay) return t;
  }
  return std::nullopt;
}

// Next SP-delimited token at *pos; advances past the SP. Empty view if at end.
std::string_view NextToken(std::string_view s, size_t* pos, bool* had_sp) {
  size_t start = *pos;
  size_t sp = s.find(' ', start);
  if (sp == std::string_view::npos) {
    *pos = s.size();
    *had_sp = false;
    return s.substr(start);
  }
  *pos = sp + 1;
  *had_sp = true;
  return s.substr(start, sp - start);
}

bool ValidSdName(std::string_view n) {
  if (n.empty() || n.size() > 32) return false;
  for (char c : n)
    if (!IsPrintUsAscii(c) || c == '=' || c == ']' || c == '"') return false;
  return true;
}

// Parses SD-ELEMENTs starting at s[*pos] == '['. Returns false on any grammar violation.
bool ParseSd(std::string_view s, size_t* pos, std::vector<SdElement>* out) {
  size_t i = *pos;
  while (i < s.size() && s[i] == '[') {
    ++i;
    size_t id_start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != ']') ++i;
    SdElement el;
    el.id = s.substr(id_start, i - id_start);
    if (!ValidSdName(el.id) || i >= s.size()) return false;
    while (i < s.size() && s[i] == ' ') {
      ++i;
      size_t name_start = i;
      while (i < s.size() && s[i] != '=') ++i;
      std::string_view name = s.substr(name_start, i - name_start);
      if (!ValidSdName(name) || i + 1 >= s.size() || s[i + 1] != '"') return false;
      i += 2;
      SdParam p{name, {}};
      bool closed = false;
      while (i < s.size()) {
        char c = s[i];
        if (c == '\\' && i + 1 < s.size() &&
            (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == ']')) {
          p.value.push_back(s[i + 1]);
          i += 2;
          continue;
        }
        if (c == '"') {
          closed = true;
          ++i;
          break;
        }
        if (c == ']') return false;  // must be escaped inside PARAM-VALUE
        p.value.push_back(c);
        ++i;
      }
      if (!closed) return false;
      el.params.push_back(std::move(p));
    }
    if (i >= s.size() || s[i] != ']') return false;
    ++i;
    out->push_back(std::move(el));
  }
  *pos = i;
  return true;
}

void CheckField(SyslogMessage* m, std::string_view v, size_t max) {
  if (v.size() > max) AddAnomaly(m, kFieldTooLong);
  for (char c : v)
    if (!IsPrintUsAscii(c)) {
      AddAnomaly(m, kInvalidHeaderField);
      break;
    }
}

void ParseRfc5424(std::string_view s, size_t pos, SyslogMessage* m, UnixNanos receive_time) {
  m->format = SyslogFormat::kRfc5424;
  bool sp = false;
  std::string_view fields[5];
  for (int k = 0; k < 5; ++k) {
    if (pos >= s.size()) {
      AddAnomaly(m, kTruncatedHeader);
      return;
    }
    fields[k] = NextToken(s, &pos, &sp);
    if (fields[k].empty() || (!sp && k < 4)) {
      AddAnomaly(m, kTruncatedHeader);
      // Keep what we have as the message so nothing is hidden.
      m->msg = s.substr(pos);
      return;
    }
  }
  auto nil = [](std::string_view v) { return v == "-" ? std::string_view() : v; };
  if (fields[0] != "-") {
    m->timestamp = ParseRfc5424Time(fields[0]);
    if (!m->timestamp) AddAnomaly(m, kInvalidTimestamp);
  }
  m->hostname = nil(fields[1]);
  m->app_name = nil(fields[2]);
  m->procid = nil(fields[3]);
  m->msgid = nil(fields[4]);
  CheckField(m, m->hostname, 255);
  CheckField(m, m->app_name, 48);
  CheckField(m, m->procid, 128);
  CheckField(m, m->msgid, 32);
  if (!sp || pos >= s.size()) {
    AddAnomaly(m, kTruncatedHeader);  // STRUCTURED-DATA is mandatory ("-" when empty)
    return;
  }
  size_t sd_start = pos;
  if (s[pos] == '-') {
    ++pos;
  } else if (s[pos] == '[') {
    if (!ParseSd(s, &pos, &m->sd)) {
      AddAnomaly(m, kInvalidSd);
      m->sd.clear();
      m->msg = s.substr(sd_start);
      return;
    }
    for (size_t a = 0; a < m->sd.size(); ++a)
      for (size_t b = a + 1; b < m->sd.size(); ++b)
        if (m->sd[a].id == m->sd[b].id) AddAnomaly(m, kDuplicateSdId);
  } else {
    AddAnomaly(m, kInvalidSd);
    m->msg = s.substr(sd_start);
    return;
  }
  if (pos < s.size()) {
    if (s[pos] != ' ') {
      AddAnomaly(m, kInvalidSd);
      m->msg = s.substr(sd_start);
      m->sd.clear();
      return;
    }
    std::string_view msg = s.substr(pos + 1);
    if (msg.substr(0, 3) == "\xEF\xBB\xBF") msg.remove_prefix(3);  // BOM marks UTF-8 MSG
    m->msg = msg;
  }
}

void ParseRfc3164(std::string_view s, size_t pos, SyslogMessage* m, UnixNanos receive_time) {
  m->format = SyslogFormat::kRfc3164;
  std::string_view rest = s.substr(pos);
  bool sp = false;
  if (rest.size() >= 16 && rest[15] == ' ' &&
      (m->timestamp = ParseBsdTime(rest.substr(0, 15), receive_time))) {
    rest.remove_prefix(16);
  } else {
    // Newer BSD senders put an RFC 3339 time here.
    size_t p = 0;
    std::string_view tok = NextToken(rest, &p, &sp);
    if (sp && tok.size() >= 20 && tok[10] == 'T' && (m->timestamp = ParseRfc5424Time(tok))) {
      rest.remove_prefix(p);
    } else {
      AddAnomaly(m, kInvalidTimestamp);
      m->msg = rest;
      return;
    }
  }
  // HOSTNAME, unless the next token is already the TAG ("app:" or "app[pid]:").
  size_t p = 0;
  std::string_view tok = NextToken(rest, &p, &sp);
  bool is_tag = !tok.empty() && (tok.back() == ':' || tok.find('[') != std::string_view::npos);
  if (sp && !tok.empty() && !is_tag) {
    m->hostname = tok;
    CheckField(m, tok, 255);
    rest.remove_prefix(p);
  }
  // TAG: up to ':' / '[' / SP, at most 48 chars as in RFC 5424's APP-NAME.
  size_t i = 0;
  while (i < rest.size() && i <= 48 && rest[i] != ':' && rest[i] != '[' && rest[i] != ' ' &&
         IsPrintUsAscii(rest[i]))
    ++i;
  size_t j = i;
  std::string_view procid;
  if (j < rest.size() && rest[j] == '[') {
    size_t close = rest.find(']', j);
    if (close != std::string_view::npos && close - j <= 129) {
      procid = rest.substr(j + 1, close - j - 1);
      j = close + 1;
    }
  }
  if (i > 0 && j < rest.size() && rest[j] == ':') {
    m->app_name = rest.substr(0, i);
    m->procid = procid;
    CheckField(m, procid, 128);
    ++j;
    if (j < rest.size() && rest[j] == ' ') ++j;
    m->msg = rest.substr(j);
  } else {
    m->msg = rest;  // no TAG: the content is the whole rest
  }
}

}  // namespace

SyslogMessage ParseSyslog(std::string_view s, UnixNanos receive_time) {
  SyslogMessage m;
  if (s.empty()) {
    AddAnomaly(&m, kEmptyMessage);
    return m;
  }
  size_t pos = 0;
  if (s[0] != '<') {
    AddAnomaly(&m, kMissingPri);
    m.msg = s;
    return m;
  }
  size_t i = 1;
  while (i < s.size() && i <= 4 && IsDigit(s[i])) ++i;
  size_t digits = i - 1;
  if (digits == 0 || digits > 3 || i >= s.size() || s[i] != '>') {
    AddAnomaly(&m, kInvalidPri);
    m.msg = s;
    return m;
  }
  int pri = Num(s, 1, digits);
  if (pri > 191) {
    AddAnomaly(&m, kInvalidPri);
    m.msg = s;
    return m;
  }
  if (digits > 1 && s[1] == '0') AddAnomaly(&m, kPriLeadingZero);
  m.has_pri = true;
  m.facility = pri / 8;
  m.severity = pri % 8;
  pos = i + 1;
  // VERSION: 1*2DIGIT followed by SP (RFC 5424 §6.2.2). BSD messages start with a month name.
  size_t v = pos;
  while (v < s.size() && v - pos < 3 && IsDigit(s[v])) ++v;
  if (v > pos && v < s.size() && s[v] == ' ' && s[pos] != '0') {
    if (s.substr(pos, v - pos) == "1") {
      ParseRfc5424(s, v + 1, &m, receive_time);
    } else {
      AddAnomaly(&m, kUnsupportedVersion);
      m.msg = s.substr(v + 1);
    }
  } else {
    ParseRfc3164(s, pos, &m, receive_time);
  }
  if (m.msg.empty() && m.format == SyslogFormat::kUnknown) AddAnomaly(&m, kEmptyMessage);
  return m;
}

std::string SyslogToRecord(std::string_view raw, const SyslogMessage& m, const SyslogContext& ctx,
                           size_t* anomaly_count) {
  std::vector<std::string_view> anomalies = m.anomalies;
  for (std::string_view a : ctx.extra_anomalies)
    if (std::find(anomalies.begin(), anomalies.end(), a) == anomalies.end()) anomalies.push_back(a);

  JsonObjectWriter w;
  bool utf8_ok = true;
  w.String("ts", FormatRfc3339(m.timestamp ? *m.timestamp : ctx.receive_time));
  w.String("source", "syslog");
  w.String("type", "syslog");
  w.String("transport", ctx.transport);
  w.String("peer", ctx.peer);
  w.String("received_at", FormatRfc3339(ctx.receive_time));
  w.String("format", m.format == SyslogFormat::kRfc5424   ? "rfc5424"
                     : m.format == SyslogFormat::kRfc3164 ? "rfc3164"
                                                          : "unknown");
  if (m.has_pri) {
    w.Int("facility", m.facility);
    w.Int("severity", m.severity);
  }
  if (!m.hostname.empty()) utf8_ok &= w.String("hostname", m.hostname);
  if (!m.app_name.empty()) utf8_ok &= w.String("app_name", m.app_name);
  if (!m.procid.empty()) utf8_ok &= w.String("procid", m.procid);
  if (!m.msgid.empty()) utf8_ok &= w.String("msgid", m.msgid);
  if (!m.sd.empty()) {
    // {"id":{"name":"value"}}; a repeated PARAM-NAME (allowed by RFC 5424) becomes an array.
    std::string sd = "{";
    for (size_t e = 0; e < m.sd.size(); ++e) {
      if (e) sd += ',';
      utf8_ok &= AppendJsonString(&sd, m.sd[e].id);
      sd += ":{";
      const auto& ps = m.sd[e].params;
      bool first = true;
      for (size_t k = 0; k < ps.size(); ++k) {
        bool seen = false;
        for (size_t q = 0; q < k; ++q) seen |= ps[q].name == ps[k].name;
        if (seen) continue;
        if (!first) sd += ',';
        first = false;
        utf8_ok &= AppendJsonString(&sd, ps[k].name);
        sd += ':';
        size_t count = 0;
        for (size_t q = k; q < ps.size(); ++q) count += ps[q].name == ps[k].name;
        if (count == 1) {
          utf8_ok &= AppendJsonString(&sd, ps[k].value);
        } else {
          sd += '[';
          bool f2 = true;
          for (size_t q = k; q < ps.size(); ++q) {
            if (ps[q].name != ps[k].name) continue;
            if (!f2) sd += ',';
            f2 = false;
            utf8_ok &= AppendJsonString(&sd, ps[q].value);
          }
          sd += ']';
        }
      }
      sd += '}';
    }
    sd += '}';
    w.Raw("sd", sd);
  }
  utf8_ok &= w.String("msg", m.msg);
  if (!utf8_ok && std::find(anomalies.begin(), anomalies.end(), kInvalidUtf8) == anomalies.end())
    anomalies.push_back(kInvalidUtf8);
  if (!anomalies.empty()) {
    std::string list = "[";
    for (size_t k = 0; k < anomalies.size(); ++k) {
      if (k) list += ',';
      AppendJsonString(&list, anomalies[k]);
    }
    list += ']';
    w.Raw("anomaly", list);
    if (IsValidUtf8(raw))
      w.String("raw", raw);
    else
      w.String("raw_b64", Base64Encode(raw));
  }
  if (anomaly_count) *anomaly_count = anomalies.size();
  return std::move(w).Finish();
}

}  // namespace gs::logingest
