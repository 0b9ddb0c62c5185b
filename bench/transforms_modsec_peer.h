// The libmodsecurity3 side of bench/transforms_bench: runs a chain of ModSecurity's own
// transformation objects the way its rule engine does (a fresh std::string per step). Compiled
// only when libmodsecurity 3.0.9 (Debian 12) is installed; nothing outside bench/ links it.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace gs::bench {

class ModSecurityChain {
 public:
  // `names` are SecLang transformation names. Unknown names make ok() false.
  explicit ModSecurityChain(const std::vector<std::string>& names);
  ~ModSecurityChain();
  ModSecurityChain(const ModSecurityChain&) = delete;
  ModSecurityChain& operator=(const ModSecurityChain&) = delete;

  bool ok() const { return ok_; }
  std::string Run(const std::string& value) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool ok_ = true;
};

}  // namespace gs::bench
