// libcurl multi loop behind FetchAll (see http_fetcher.h).
#include "monitor/http_fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

namespace gs::monitor {

const char kBrowserUserAgent[] =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36 GovShield-Monitor/0.1";

namespace {

struct Transfer {
  const FetchRequest* req = nullptr;
  FetchResult* out = nullptr;
  size_t max_body = 0;
  curl_slist* connect_to = nullptr;
  curl_slist* headers = nullptr;
  char errbuf[CURL_ERROR_SIZE] = {0};
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  if (t->req->keep_body && t->out->body.size() < t->max_body)
    t->out->body.append(data, std::min(len, t->max_body - t->out->body.size()));
  return len;
}

// "host:port:connect:port" for CURLOPT_CONNECT_TO from the URL's own host and port.
curl_slist* ConnectTo(const std::string& url, const std::string& connect) {
  CURLU* u = curl_url();
  if (u == nullptr) return nullptr;
  curl_slist* list = nullptr;
  char* host = nullptr;
  char* port = nullptr;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    std::string c = std::string(host) + ":" + port + ":" + connect + ":" + port;
    list = curl_slist_append(nullptr, c.c_str());
  }
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  return list;
}

CURL* MakeEasy(Transfer* t) {
  CURL* e = curl_easy_init();
  if (e == nullptr) return nullptr;
  const FetchRequest& r = *t->req;
  curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, t);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout_nanos / 1'000'000));
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(e, CURLOPT_USERAGENT,
                   r.user_agent.empty() ? kBrowserUserAgent : r.user_agent.c_str());
  if (!r.referer.empty()) curl_easy_setopt(e, CURLOPT_REFERER, r.referer.c_str());
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  if (!r.connect.empty()) {
    t->connect_to = ConnectTo(r.url, r.connect);
    curl_easy_setopt(e, CURLOPT_CONNECT_TO, t->connect_to);
  }
  for (const auto& h : r.headers) t->headers = curl_slist_append(t->headers, h.c_str());
  if (t->headers != nullptr) curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
  if (r.method == "POST") {
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.post_body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.post_body.size()));
  }
  return e;
}

void Finish(CURL* e, CURLcode rc) {
  Transfer* t = nullptr;
  curl_easy_getinfo(e, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
  FetchResult& o = *t->out;
  curl_off_t total_us = 0;
  curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &total_us);
  o.latency_ms = static_cast<int64_t>(total_us / 1000);
  if (rc == CURLE_OK) {
    o.transport_ok = true;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &o.http_status);
    char* ct = nullptr;
    if (curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) o.content_type = ct;
    char* eff = nullptr;
    if (curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
      o.effective_url = eff;
  } else {
    o.error = std::string(curl_easy_strerror(rc)) +
              (t->errbuf[0] ? std::string(": ") + t->errbuf : std::string());
  }
}

}  // namespace

std::vector<FetchResult> FetchAll(const std::vector<FetchRequest>& requests,
                                  const FetcherOptions& options) {
  std::vector<FetchResult> results(requests.size());
  std::vector<Transfer> transfers(requests.size());
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) {
    for (auto& r : results) r.error = "curl_multi_init failed";
    return results;
  }
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                    static_cast<long>(std::max(1, options.max_per_host)));
  curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                    static_cast<long>(std::max(1, options.max_concurrency)));
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS,
                    static_cast<long>(std::max(1, options.max_concurrency)));
  const size_t limit = static_cast<size_t>(std::max(1, options.max_concurrency));
  size_t next = 0, active = 0;
  auto add_more = [&] {
    while (active < limit && next < requests.size()) {
      Transfer& t = transfers[next];
      t.req = &requests[next];
      t.out = &results[next];
      t.max_body = options.max_body_bytes;
      ++next;
      CURL* e = MakeEasy(&t);
      if (e == nullptr) {
        t.out->error = "curl_easy_init failed";
        continue;
      }
      curl_multi_add_handle(multi, e);
      ++active;
    }
  };
  add_more();
  while (active > 0) {
    int running = 0;
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* m = curl_multi_info_read(multi, &queued)) {
      if (m->msg != CURLMSG_DONE) continue;
      CURL* e = m->easy_handle;
      Finish(e, m->data.result);
      curl_multi_remove_handle(multi, e);
      curl_easy_cleanup(e);
      --active;
    }
    add_more();
    if (active > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  for (auto& t : transfers) {
    curl_slist_free_all(t.connect_to);
    curl_slist_free_all(t.headers);
  }
  curl_multi_cleanup(multi);
  return results;
}

FetchResult FetchOne(const FetchRequest& request, const FetcherOptions& options) {
  return FetchAll({request}, options)[0];
}

}  // namespace gs::monitor
