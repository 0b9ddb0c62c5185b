// @geoLookup: looks the input address up in a MaxMind (GeoIP2/GeoLite2 .mmdb) database and, when
// found, fills MatchContext::geo for the GEO collection. The database is opened once at load
// (SecGeoLookupDb -> OperatorOptions::geo_db_path); libmaxminddb lookups on an opened database
// are read-only and thread-safe. Without a configured database the operator fails to load.
#include <maxminddb.h>

#include <memory>

#include "ruleengine/operators/internal.h"

namespace gs::operators::internal {
namespace {

struct MmdbCloser {
  void operator()(MMDB_s* db) const {
    MMDB_close(db);
    delete db;
  }
};

std::string GetString(MMDB_entry_s* entry, std::initializer_list<const char*> path) {
  MMDB_entry_data_s data{};
  std::vector<const char*> p(path);
  p.push_back(nullptr);
  if (MMDB_aget_value(entry, &data, p.data()) != MMDB_SUCCESS || !data.has_data ||
      data.type != MMDB_DATA_TYPE_UTF8_STRING) {
    return {};
  }
  return std::string(data.utf8_string, data.data_size);
}

double GetDouble(MMDB_entry_s* entry, std::initializer_list<const char*> path) {
  MMDB_entry_data_s data{};
  std::vector<const char*> p(path);
  p.push_back(nullptr);
  if (MMDB_aget_value(entry, &data, p.data()) != MMDB_SUCCESS || !data.has_data ||
      data.type != MMDB_DATA_TYPE_DOUBLE) {
    return 0;
  }
  return data.double_value;
}

class GeoLookupOperator final : public Operator {
 public:
  GeoLookupOperator(std::string arg, std::shared_ptr<MMDB_s> db)
      : Operator("geoLookup", std::move(arg)), db_(std::move(db)) {}

  bool Evaluate(std::string_view input, MatchContext* ctx) const override {
    if (input.empty() || input.size() > 64) return false;
    std::string ip(input);  // libmaxminddb needs a NUL-terminated string
    int gai_error = 0, mmdb_error = 0;
    MMDB_lookup_result_s r = MMDB_lookup_string(db_.get(), ip.c_str(), &gai_error, &mmdb_error);
    if (gai_error != 0 || mmdb_error != MMDB_SUCCESS || !r.found_entry) return false;
    GeoResult& g = ctx->geo;
    g = GeoResult{};
    g.country_code = GetString(&r.entry, {"country", "iso_code"});
    g.country_name = GetString(&r.entry, {"country", "names", "en"});
    g.country_continent = GetString(&r.entry, {"continent", "code"});
    g.region = GetString(&r.entry, {"subdivisions", "0", "names", "en"});
    g.city = GetString(&r.entry, {"city", "names", "en"});
    g.postal_code = GetString(&r.entry, {"postal", "code"});
    g.latitude = GetDouble(&r.entry, {"location", "latitude"});
    g.longitude = GetDouble(&r.entry, {"location", "longitude"});
    return true;
  }

 private:
  std::shared_ptr<MMDB_s> db_;
};

Result<std::unique_ptr<const Operator>> MakeGeoLookup(std::string_view arg,
                                                      const OperatorOptions& options) {
  if (options.geo_db_path.empty()) {
    return FailedPreconditionError(
        "no GeoIP database configured (SecGeoLookupDb with a MaxMind .mmdb file)");
  }
  auto* raw = new MMDB_s{};
  int rc = MMDB_open(options.geo_db_path.c_str(), MMDB_MODE_MMAP, raw);
  if (rc != MMDB_SUCCESS) {
    delete raw;
    return InvalidArgumentError("cannot open GeoIP database " + options.geo_db_path + ": " +
                                MMDB_strerror(rc));
  }
  std::shared_ptr<MMDB_s> db(raw, MmdbCloser());
  return std::unique_ptr<const Operator>(new GeoLookupOperator(std::string(arg), std::move(db)));
}

}  // namespace

void RegisterGeoOperators(OperatorRegistry* registry) {
  registry->Register("geoLookup", MakeGeoLookup).IgnoreError();
}

}  // namespace gs::operators::internal
