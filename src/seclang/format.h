// Text renderings of AST nodes in SecLang syntax, for `govshield waf lint`, logs and tests.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "seclang/ast.h"

namespace gs::seclang {

// `!REQUEST_COOKIES:/__utm/`, `&ARGS`, `TX:paranoia_level`.
std::string FormatVariable(const Variable& v);
// Joined with '|'.
std::string FormatVariables(const std::vector<Variable>& vars);
// `!@rx ^abc` (an implicit @rx is shown explicitly).
std::string FormatOperator(const Operator& op);
// One line: id, phase, variables, operator, transformations and action flags, e.g.
// `942100 phase:2 ARGS|!ARGS:/x/ @detectSQLi t:none,urlDecodeUni [block,capture,log]`.
// Chained children show `chained` instead of an id. Long operator arguments are shortened.
std::string FormatRuleSummary(const Rule& rule);

}  // namespace gs::seclang
