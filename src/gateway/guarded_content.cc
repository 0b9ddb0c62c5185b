// The kContent filter serving a guarded web root (guarded_content.h).
#include "gateway/guarded_content.h"

#include <cstdint>
#include <optional>

#include "gateway/builtin_filters.h"
#include "gateway/static_site.h"
#include "net/http_syntax.h"

namespace gs::gateway {
namespace {

// "/a//b/./c/" -> "a/b/c/" (empty and "." segments dropped; the trailing '/' kept). The input
// is decoded and has no ".." segments (DecodeUrlPath).
std::string RelativePath(std::string_view path) {
  std::string rel;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    std::string_view seg = path.substr(pos, next - pos);
    if (!seg.empty() && seg != ".") {
      if (!rel.empty()) rel += '/';
      rel.append(seg);
    }
    pos = next + 1;
  }
  if (!rel.empty() && path.back() == '/') rel += '/';
  return rel;
}

// If-None-Match: "*" or a list of (weak or strong) entity tags; weak comparison.
bool NoneMatch(std::string_view header, std::string_view quoted_etag) {
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view tag = net::syntax::TrimOws(header.substr(pos, comma - pos));
    if (tag == "*") return true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == quoted_etag) return true;
    pos = comma + 1;
  }
  return false;
}

bool ParseUint(std::string_view s, uint64_t* v) {
  if (s.empty() || s.size() > 19) return false;
  *v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    *v = *v * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

// A single "bytes=" range against a body of `size` bytes. nullopt: ignore the header (absent,
// malformed or several ranges: the whole body is sent). first > last: unsatisfiable (416).
struct ByteRange {
  uint64_t first = 0, last = 0;
};
std::optional<ByteRange> ParseRange(std::string_view h, uint64_t size) {
  h = net::syntax::TrimOws(h);
  if (h.substr(0, 6) != "bytes=") return std::nullopt;
  std::string_view spec = net::syntax::TrimOws(h.substr(6));
  if (spec.find(',') != std::string_view::npos) return std::nullopt;
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view a = net::syntax::TrimOws(spec.substr(0, dash)),
                   b = net::syntax::TrimOws(spec.substr(dash + 1));
  uint64_t first = 0, last = 0;
  if (a.empty()) {  // suffix: the last b bytes
    if (!ParseUint(b, &last)) return std::nullopt;
    if (last == 0 || size == 0) return ByteRange{1, 0};
    return ByteRange{size - std::min(last, size), size - 1};
  }
  if (!ParseUint(a, &first)) return std::nullopt;
  if (b.empty()) {
    last = size == 0 ? 0 : size - 1;
  } else if (!ParseUint(b, &last) || last < first) {
    return std::nullopt;  // syntactically invalid: ignored (RFC 9110 14.2)
  }
  if (first >= size) return ByteRange{1, 0};
  return ByteRange{first, std::min(last, size - 1)};
}

class GuardedContentFilter final : public Filter {
 public:
  GuardedContentFilter(ContentGuard* guard, const GuardedContentOptions* options)
      : guard_(guard), options_(options) {}

  FilterStatus OnRequestHeaders(RequestContext& ctx) override {
    const RequestInfo& req = ctx.request;
    std::string decoded;
    if (!DecodeUrlPath(req.path, &decoded) || decoded.empty() || decoded[0] != '/') {
      // Fail closed: an upstream serving the same root might resolve this name to a guarded
      // file ("/x/../news/a.html") and send it unchecked.
      Count(GuardVerdict::kError);
      SetBlockResponse(ctx, 400, "tamper", "bad_path", "请求的路径无效。",
                       "The requested path is not valid.");
      return FilterStatus::kStopWithResponse;
    }
    // Prefixes are matched on the normalised path, so "//news/a.html" or "/news/./a.html"
    // cannot slip past the guard to the upstream.
    std::string rel = RelativePath(decoded);
    if (!Guarded("/" + rel)) return FilterStatus::kContinue;
    bool dir = rel.empty() || rel.back() == '/';
    if (dir) rel += options_->index;
    GuardedFile f = guard_->Fetch(rel);
    bool known = f.verdict == GuardVerdict::kIntact || f.verdict == GuardVerdict::kRestored ||
                 f.verdict == GuardVerdict::kBlocked;
    if (req.method != "GET" && req.method != "HEAD") {
      if (!known) return FilterStatus::kContinue;  // e.g. a form handler next to static pages
      // A guarded file: the upstream must not be asked for it in any other way.
      Answer(ctx, 405, "text/html; charset=utf-8",
             BlockPageHtml(405, ctx.request_id, "该资源仅支持 GET 和 HEAD 请求。",
                           "This resource supports GET and HEAD only."));
      ctx.local_response.headers.Set("Allow", "GET, HEAD");
      return FilterStatus::kStopWithResponse;
    }
    if (f.verdict == GuardVerdict::kNotInBaseline && !dir) {
      // "/news" where "news/index.html" is guarded: the directory, with its trailing slash.
      GuardedFile d = guard_->Fetch(rel + "/" + options_->index);
      if (d.verdict == GuardVerdict::kIntact || d.verdict == GuardVerdict::kRestored ||
          d.verdict == GuardVerdict::kBlocked) {
        Count(f.verdict);
        Answer(ctx, 301, "", "");
        ctx.local_response.headers.Set("Location",
                                       req.path + "/" + (req.query.empty() ? "" : "?" + req.query));
        return FilterStatus::kStopWithResponse;
      }
    }
    Count(f.verdict);
    switch (f.verdict) {
      case GuardVerdict::kIntact:
      case GuardVerdict::kRestored:
        return ServeBody(ctx, rel, f);
      case GuardVerdict::kBlocked:
        SetBlockResponse(ctx, 503, "tamper", "tampered", "该页面未通过完整性校验，已暂停提供。",
                         "This page failed its integrity check and is withheld.");
        ctx.local_response.headers.Set("Retry-After", "60");
        ctx.Event("block", "\"status\":503,\"reason\":\"tampered\",\"path\":" + JsonString(rel) +
                               ",\"expected_sm3\":" + JsonString(f.etag));
        return FilterStatus::kStopWithResponse;
      case GuardVerdict::kNotInBaseline:
        if (options_->unknown_to_upstream) return FilterStatus::kContinue;
        Answer(ctx, 404, "text/html; charset=utf-8",
               BlockPageHtml(404, ctx.request_id, "页面不存在。", "Page not found."));
        return FilterStatus::kStopWithResponse;
      case GuardVerdict::kUnprotected:
      case GuardVerdict::kTooLarge:
        return FilterStatus::kContinue;
      case GuardVerdict::kError:
        break;
    }
    SetBlockResponse(ctx, 500, "tamper", "error", "页面暂时无法提供。",
                     "The page cannot be served at the moment.");
    return FilterStatus::kStopWithResponse;
  }

 private:
  bool Guarded(std::string_view path) const {
    for (const std::string& p : options_->prefixes) {
      if (path.substr(0, p.size()) == p) return true;
      // "/news" is under the prefix "/news/".
      if (!p.empty() && p.back() == '/' && path.size() + 1 == p.size() &&
          p.compare(0, path.size(), path) == 0)
        return true;
    }
    return false;
  }

  void Count(GuardVerdict v) {
    guard_->counters().verdicts[static_cast<size_t>(v)].fetch_add(1, std::memory_order_relaxed);
  }

  static void Answer(RequestContext& ctx, int status, std::string_view type, std::string body) {
    ctx.local_response.status = status;
    ctx.local_response.content_type = std::string(type);
    ctx.local_response.body = std::move(body);
    ctx.local_response.content = true;
  }

  FilterStatus ServeBody(RequestContext& ctx, const std::string& rel, const GuardedFile& f) {
    const std::string& body = *f.body;
    HeaderList& h = ctx.local_response.headers;
    std::string etag = f.etag.empty() ? "" : "\"" + f.etag + "\"";
    if (!etag.empty()) h.Set("ETag", etag);
    h.Set("Cache-Control", "no-cache");
    h.Set("Accept-Ranges", "bytes");
    const HeaderList& in = ctx.request.headers;
    if (const std::string* inm = in.Get("if-none-match");
        inm && !etag.empty() && NoneMatch(*inm, etag)) {
      guard_->counters().not_modified.fetch_add(1, std::memory_order_relaxed);
      Answer(ctx, 304, "", "");
      return FilterStatus::kStopWithResponse;
    }
    std::string_view type = ContentTypeFor(rel);
    const std::string* range = in.Get("range");
    if (const std::string* if_range = in.Get("if-range");
        range && if_range && (etag.empty() || net::syntax::TrimOws(*if_range) != etag))
      range = nullptr;  // If-Range names another version (or a date): the whole body
    if (range) {
      if (std::optional<ByteRange> r = ParseRange(*range, body.size())) {
        guard_->counters().partial.fetch_add(1, std::memory_order_relaxed);
        if (r->first > r->last) {
          h.Set("Content-Range", "bytes */" + std::to_string(body.size()));
          Answer(ctx, 416, "", "");
          return FilterStatus::kStopWithResponse;
        }
        h.Set("Content-Range", "bytes " + std::to_string(r->first) + "-" + std::to_string(r->last) +
                                   "/" + std::to_string(body.size()));
        Answer(ctx, 206, type, body.substr(r->first, r->last - r->first + 1));
        return FilterStatus::kStopWithResponse;
      }
    }
    Answer(ctx, 200, type, body);
    return FilterStatus::kStopWithResponse;
  }

  ContentGuard* guard_;
  const GuardedContentOptions* options_;
};

class GuardedContentFactory final : public FilterFactory {
 public:
  GuardedContentFactory(std::shared_ptr<ContentGuard> guard, GuardedContentOptions options)
      : guard_(std::move(guard)), options_(std::move(options)) {}
  std::string_view name() const override { return "tamper"; }
  std::unique_ptr<Filter> Create() const override {
    return std::make_unique<GuardedContentFilter>(guard_.get(), &options_);
  }
  void AppendMetrics(std::string_view site, std::string* out) const override {
    std::string label = "{site=" + JsonString(site);
    const GuardCounters& c = guard_->counters();
    for (size_t i = 0; i < kGuardVerdicts; ++i) {
      *out += "gs_gateway_guarded_responses_total" + label + ",verdict=\"" +
              std::string(GuardVerdictName(static_cast<GuardVerdict>(i))) + "\"} " +
              std::to_string(c.verdicts[i].load(std::memory_order_relaxed)) + "\n";
    }
    *out += "gs_gateway_guarded_not_modified_total" + label + "} " +
            std::to_string(c.not_modified.load(std::memory_order_relaxed)) + "\n";
    *out += "gs_gateway_guarded_partial_total" + label + "} " +
            std::to_string(c.partial.load(std::memory_order_relaxed)) + "\n";
    guard_->AppendMetrics(site, out);
  }

 private:
  std::shared_ptr<ContentGuard> guard_;
  GuardedContentOptions options_;
};

}  // namespace

std::string_view GuardVerdictName(GuardVerdict v) {
  switch (v) {
    case GuardVerdict::kIntact:
      return "intact";
    case GuardVerdict::kRestored:
      return "restored";
    case GuardVerdict::kBlocked:
      return "blocked";
    case GuardVerdict::kNotInBaseline:
      return "not_in_baseline";
    case GuardVerdict::kUnprotected:
      return "unprotected";
    case GuardVerdict::kTooLarge:
      return "too_large";
    case GuardVerdict::kError:
      return "error";
  }
  return "error";
}

std::shared_ptr<FilterFactory> MakeGuardedContentFactory(std::shared_ptr<ContentGuard> guard,
                                                         GuardedContentOptions options) {
  return std::make_shared<GuardedContentFactory>(std::move(guard), std::move(options));
}

}  // namespace gs::gateway
