// libmodsecurity 3.0.9 adapter for bench/transforms_bench. ModSecurity does not install the
// header of its Transformation class, so the class is declared here exactly as 3.0.9 defines it
// (an Action subclass overriding evaluate(const std::string&, Transaction*)); the build enables
// this file only for that version. The factory is the one ModSecurity's own unit tests use; it
// knows cmdLine under the name "cmd_line".
#include "bench/transforms_modsec_peer.h"

#include <modsecurity/actions/action.h>

namespace modsecurity::actions::transformations {
class Transformation : public Action {
 public:
  explicit Transformation(const std::string& action) : Action(action, 1) {}
  std::string evaluate(const std::string& value, Transaction* transaction) override;
  static Transformation* instantiate(std::string name);
};
}  // namespace modsecurity::actions::transformations

namespace gs::bench {

using modsecurity::actions::transformations::Transformation;

struct ModSecurityChain::Impl {
  std::vector<std::unique_ptr<Transformation>> steps;
};

ModSecurityChain::ModSecurityChain(const std::vector<std::string>& names)
    : impl_(std::make_unique<Impl>()) {
  for (const std::string& name : names) {
    const std::string factory_name = name == "cmdLine" ? "cmd_line" : name;
    std::unique_ptr<Transformation> t(Transformation::instantiate("t:" + factory_name));
    // An unknown name yields the base class, whose name is the text itself: detect it by type.
    if (t == nullptr || typeid(*t) == typeid(Transformation)) ok_ = false;
    impl_->steps.push_back(std::move(t));
  }
}

ModSecurityChain::~ModSecurityChain() = default;

std::string ModSecurityChain::Run(const std::string& value) const {
  std::string v = value;
  for (const auto& t : impl_->steps) v = t->evaluate(v, nullptr);
  return v;
}

}  // namespace gs::bench
