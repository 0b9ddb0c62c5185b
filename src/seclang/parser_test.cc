// Tests of parser.h: one or more cases per syntax feature and per error kind, checking the AST
// fields and the error locations the parser reports.
#include "seclang/parser.h"

#include <gtest/gtest.h>

#include <fstream>

#include "platform/file.h"
#include "tests/testlib/temp_dir.h"

namespace gs::seclang {
namespace {

struct Parsed {
  RuleSet set;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
};

Parsed ParseText(std::string_view text, ParseOptions options = {}) {
  Parser p(std::move(options));
  p.ParseString(text, "t.conf");
  p.Finish();
  Parsed out;
  out.errors = p.errors();
  out.warnings = p.warnings();
  out.set = p.TakeRuleSet();
  return out;
}

// The single rule of a text that must parse without errors.
Rule OneRule(std::string_view text) {
  Parsed p = ParseText(text);
  EXPECT_TRUE(p.errors.empty()) << (p.errors.empty() ? "" : p.errors[0].ToString());
  EXPECT_EQ(p.set.rules.size(), 1u);
  return p.set.rules.empty() ? Rule{} : p.set.rules[0];
}

// Asserts exactly one error whose message contains `needle`; returns it.
Diagnostic OneError(std::string_view text, std::string_view needle) {
  Parsed p = ParseText(text);
  EXPECT_EQ(p.errors.size(), 1u) << text;
  for (const auto& e : p.errors) {
    if (e.message.find(needle) != std::string::npos) return e;
  }
  ADD_FAILURE() << "no error containing '" << needle << "' for: " << text
                << (p.errors.empty() ? "" : " first: " + p.errors[0].ToString());
  return {};
}

const Action* FindAct(const Rule& r, ActionId id) {
  for (const Action& a : r.actions) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

// ---- variables ----

TEST(Variables, CollectionsKeysRegexExclusionCount) {
  Rule r = OneRule(
      "SecRule ARGS|ARGS:foo|!ARGS:/^x|y$/|&REQUEST_HEADERS:Host|REQUEST_COOKIES:'/__utm/'|"
      "XML:/*|TX:/^MSC_/ \"@rx a\" \"id:1\"");
  ASSERT_EQ(r.variables.size(), 7u);
  EXPECT_EQ(r.variables[0].id, VariableId::kArgs);
  EXPECT_TRUE(r.variables[0].key.empty());
  EXPECT_EQ(r.variables[1].key, "foo");
  EXPECT_FALSE(r.variables[1].key_is_regex);
  EXPECT_TRUE(r.variables[2].exclusion);
  EXPECT_TRUE(r.variables[2].key_is_regex);
  EXPECT_EQ(r.variables[2].key, "^x|y$");
  EXPECT_TRUE(r.variables[3].count);
  EXPECT_EQ(r.variables[3].id, VariableId::kRequestHeaders);
  EXPECT_EQ(r.variables[3].key, "Host");
  EXPECT_TRUE(r.variables[4].key_is_regex);
  EXPECT_EQ(r.variables[4].key, "__utm");
  EXPECT_EQ(r.variables[5].id, VariableId::kXml);
  EXPECT_EQ(r.variables[5].key, "/*");  // XPath, not a regex
  EXPECT_FALSE(r.variables[5].key_is_regex);
  EXPECT_EQ(r.variables[6].id, VariableId::kTx);
  EXPECT_TRUE(r.variables[6].key_is_regex);
}

TEST(Variables, NamesAreCaseInsensitiveAndLocated) {
  Rule r = OneRule("SecRule request_headers:User-Agent|args \"x\" \"id:1\"");
  ASSERT_EQ(r.variables.size(), 2u);
  EXPECT_EQ(r.variables[0].id, VariableId::kRequestHeaders);
  EXPECT_EQ(r.variables[1].id, VariableId::kArgs);
  EXPECT_EQ(r.variables[1].location.column, 36u);
}

TEST(Variables, WholeCollectionExclusionAndDotKey) {
  Rule r = OneRule("SecRule TX|!TX:/a/|TX.partial|!ARGS \"x\" \"id:1\"");
  ASSERT_EQ(r.variables.size(), 4u);
  EXPECT_EQ(r.variables[2].id, VariableId::kTx);
  EXPECT_EQ(r.variables[2].key, "partial");
  EXPECT_TRUE(r.variables[3].exclusion);
  EXPECT_TRUE(r.variables[3].key.empty());
}

TEST(Variables, RegexKeyWithEscapedSlash) {
  Rule r = OneRule(R"(SecRule ARGS:/a\/b\d/ "x" "id:1")");
  ASSERT_EQ(r.variables.size(), 1u);
  EXPECT_EQ(r.variables[0].key, R"(a/b\d)");
}

TEST(VariableErrors, UnknownVariableWithSuggestion) {
  Diagnostic d = OneError("SecRule ARGZ \"x\" \"id:1\"", "unknown variable 'ARGZ'");
  EXPECT_EQ(d.location.line, 1u);
  EXPECT_EQ(d.location.column, 9u);
  EXPECT_NE(d.hint.find("ARGS"), std::string::npos);
}

TEST(VariableErrors, ScalarWithKeyExclusionWithoutKeyAndSyntax) {
  OneError("SecRule REQUEST_URI:foo \"x\" \"id:1\"", "takes no key");
  OneError("SecRule ARGS:/abc \"x\" \"id:1\"", "unterminated regular expression");
  OneError("SecRule ARGS| \"x\" \"id:1\"", "ends with '|'");
  OneError("SecRule ARGS:foo|#x \"x\" \"id:1\"", "expected a variable name");
  OneError("SecRule WEBSERVER_ERROR_LOG \"x\" \"id:1\"", "unknown variable");
}

// ---- operators ----

TEST(Operators, ExplicitImplicitNegatedMacros) {
  Rule r = OneRule("SecRule ARGS \"!@streq %{tx.foo}\" \"id:1\"");
  EXPECT_EQ(r.op.id, OperatorId::kStreq);
  EXPECT_TRUE(r.op.negated);
  EXPECT_FALSE(r.op.implicit);
  EXPECT_EQ(r.op.argument, "%{tx.foo}");
  EXPECT_TRUE(r.op.has_macros);

  Rule r2 = OneRule("SecRule ARGS \"^(a|b) c$\" \"id:1\"");
  EXPECT_EQ(r2.op.id, OperatorId::kRx);
  EXPECT_TRUE(r2.op.implicit);
  EXPECT_EQ(r2.op.argument, "^(a|b) c$");
  EXPECT_FALSE(r2.op.has_macros);

  Rule r3 = OneRule("SecRule ARGS \"!^$\" \"id:1\"");
  EXPECT_TRUE(r3.op.negated);
  EXPECT_EQ(r3.op.argument, "^$");

  Rule r4 = OneRule("SecRule ARGS \"@PM  foo bar\" \"id:1\"");
  EXPECT_EQ(r4.op.id, OperatorId::kPm);
  EXPECT_EQ(r4.op.argument, "foo bar");

  Rule r5 = OneRule("SecRule ARGS \"@detectSQLi\" \"id:1\"");
  EXPECT_EQ(r5.op.id, OperatorId::kDetectSqli);
  EXPECT_TRUE(r5.op.argument.empty());
}

TEST(Operators, FromFileResolvesAgainstRuleFileDirectory) {
  testing::TempDir dir;
  ASSERT_TRUE(platform::WriteFileAtomic(dir.path() + "/words.data", "a\nb\n").ok());
  ParseOptions o;
  o.base_dir = dir.path();
  Parsed p = ParseText("SecRule ARGS \"@pmFromFile words.data\" \"id:1\"", o);
  ASSERT_TRUE(p.errors.empty()) << p.errors[0].ToString();
  ASSERT_EQ(p.set.rules[0].op.resolved_files.size(), 1u);
  EXPECT_EQ(p.set.rules[0].op.resolved_files[0], dir.path() + "/words.data");

  Parsed missing = ParseText("SecRule ARGS \"@pmFromFile nope.data\" \"id:1\"", o);
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_NE(missing.errors[0].message.find("data file not found"), std::string::npos);
}

TEST(OperatorErrors, UnknownMissingArgumentBadRangeRemote) {
  Diagnostic d = OneError("SecRule ARGS \"@rxx a\" \"id:1\"", "unknown operator '@rxx'");
  EXPECT_EQ(d.location.column, 15u);
  EXPECT_NE(d.hint.find("'rx'"), std::string::npos);
  OneError("SecRule ARGS \"@pm\" \"id:1\"", "needs an argument");
  OneError("SecRule ARGS \"@validateByteRange 1-300\" \"id:1\"", "invalid byte range");
  OneError("SecRule ARGS \"@pmFromFile https://x/y.txt\" \"id:1\"", "remote data file");
}

// ---- actions ----

TEST(Actions, MetadataAndFlowAreTyped) {
  Rule r = OneRule(
      "SecRule ARGS \"@rx a\" \"id:'942100',phase:request,severity:'CRITICAL',"
      "t:none,t:urlDecodeUni,t:LOWERCASE,msg:'SQL, injection',tag:'a/b',ver:'OWASP_CRS/3.3.4',"
      "rev:2,maturity:9,accuracy:8,capture,multiMatch,nolog,auditlog,block,status:403,"
      "logdata:'Matched %{MATCHED_VAR}',skipAfter:END\"");
  EXPECT_EQ(r.id, 942100);
  EXPECT_EQ(r.phase, 2);
  EXPECT_EQ(r.severity, 2);
  ASSERT_EQ(r.transformations.size(), 3u);
  EXPECT_EQ(r.transformations[0], TransformationId::kNone);
  EXPECT_EQ(r.transformations[2], TransformationId::kLowercase);
  ASSERT_TRUE(r.disruptive.has_value());
  EXPECT_EQ(*r.disruptive, ActionId::kBlock);
  const Action* msg = FindAct(r, ActionId::kMsg);
  ASSERT_NE(msg, nullptr);
  EXPECT_EQ(msg->value, "SQL, injection");
  EXPECT_TRUE(msg->quoted);
  const Action* status = FindAct(r, ActionId::kStatus);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(std::get<int64_t>(status->parsed), 403);
  EXPECT_EQ(FindAct(r, ActionId::kSkipAfter)->value, "END");
  EXPECT_EQ(FindAct(r, ActionId::kLogdata)->value, "Matched %{MATCHED_VAR}");
  EXPECT_NE(FindAct(r, ActionId::kMultiMatch), nullptr);
}

TEST(Actions, PhaseNamesAndNumbers) {
  EXPECT_EQ(OneRule("SecAction \"id:1,phase:1\"").phase, 1);
  EXPECT_EQ(OneRule("SecAction \"id:1,phase:response\"").phase, 4);
  EXPECT_EQ(OneRule("SecAction \"id:1,phase:LOGGING\"").phase, 5);
  EXPECT_EQ(OneRule("SecAction \"id:1,phase:'3'\"").phase, 3);
  EXPECT_EQ(OneRule("SecAction \"id:1,severity:5\"").severity, 5);
}

TEST(Actions, SetVarForms) {
  Rule r = OneRule(
      "SecAction \"id:1,setvar:tx.a=1,setvar:'tx.score=+%{tx.critical_anomaly_score}',"
      "setvar:TX.b=-5,setvar:!tx.c,setvar:ip.%{rule.id}-x=%{matched_var},setvar:tx.d\"");
  std::vector<SetVar> sv;
  for (const Action& a : r.actions) {
    if (a.id == ActionId::kSetvar) sv.push_back(std::get<SetVar>(a.parsed));
  }
  ASSERT_EQ(sv.size(), 6u);
  EXPECT_EQ(sv[0].collection, VariableId::kTx);
  EXPECT_EQ(sv[0].name, "a");
  EXPECT_EQ(sv[0].op, SetVar::Op::kSet);
  EXPECT_EQ(sv[0].value, "1");
  EXPECT_EQ(sv[1].op, SetVar::Op::kAdd);
  EXPECT_EQ(sv[1].value, "%{tx.critical_anomaly_score}");
  EXPECT_EQ(sv[2].op, SetVar::Op::kSubtract);
  EXPECT_EQ(sv[2].value, "5");
  EXPECT_EQ(sv[3].op, SetVar::Op::kDelete);
  EXPECT_EQ(sv[3].name, "c");
  EXPECT_EQ(sv[4].collection, VariableId::kIp);
  EXPECT_EQ(sv[4].name, "%{rule.id}-x");
  EXPECT_FALSE(sv[5].has_value);
}

TEST(Actions, CtlOptionsAndTargets) {
  Rule r = OneRule(
      "SecRule REQUEST_FILENAME \"@endsWith /wp-login.php\" "
      "\"id:9002100,phase:2,pass,nolog,ctl:ruleRemoveTargetById=942100-942999;ARGS:pwd,"
      "ctl:ruleRemoveTargetByTag=attack-sqli;!ARGS:/^x/|REQUEST_COOKIES,"
      "ctl:ruleEngine=DetectionOnly,ctl:requestBodyProcessor=JSON,ctl:auditLogParts=+E,"
      "ctl:ruleRemoveById=1-5\"");
  std::vector<Ctl> ctl;
  for (const Action& a : r.actions) {
    if (a.id == ActionId::kCtl) ctl.push_back(std::get<Ctl>(a.parsed));
  }
  ASSERT_EQ(ctl.size(), 6u);
  EXPECT_EQ(ctl[0].option, CtlOption::kRuleRemoveTargetById);
  EXPECT_EQ(ctl[0].selector, "942100-942999");
  ASSERT_EQ(ctl[0].targets.size(), 1u);
  EXPECT_EQ(ctl[0].targets[0].id, VariableId::kArgs);
  EXPECT_EQ(ctl[0].targets[0].key, "pwd");
  EXPECT_EQ(ctl[1].selector, "attack-sqli");
  ASSERT_EQ(ctl[1].targets.size(), 2u);
  EXPECT_TRUE(ctl[1].targets[0].key_is_regex);
  EXPECT_EQ(ctl[2].option, CtlOption::kRuleEngine);
  EXPECT_EQ(ctl[2].value, "DetectionOnly");
  EXPECT_EQ(ctl[3].option, CtlOption::kRequestBodyProcessor);
  EXPECT_EQ(ctl[4].value, "+E");
}

TEST(Actions, ExpirevarInitcolBlankSeparatedAndQuotedComma) {
  Rule r = OneRule(
      "SecAction \"id:1, initcol:ip=%{remote_addr}_%{tx.ua_hash} ,"
      "expirevar:'ip.block=%{tx.dur}', msg:'a,\\'b\\'', pass\"");
  const Action* ic = FindAct(r, ActionId::kInitcol);
  ASSERT_NE(ic, nullptr);
  EXPECT_EQ(std::get<InitCol>(ic->parsed).collection, VariableId::kIp);
  EXPECT_EQ(std::get<InitCol>(ic->parsed).key, "%{remote_addr}_%{tx.ua_hash}");
  const Action* ev = FindAct(r, ActionId::kExpirevar);
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(std::get<CollectionVar>(ev->parsed).name, "block");
  EXPECT_EQ(FindAct(r, ActionId::kMsg)->value, "a,'b'");
}

TEST(ActionErrors, EachKind) {
  OneError("SecAction \"id:1,foo\"", "unknown action 'foo'");
  OneError("SecAction \"id:1,chain:x\"", "takes no value");
  OneError("SecAction \"id:1,skipAfter\"", "needs a value");
  OneError("SecAction \"id:1,phase:6\"", "invalid phase");
  OneError("SecAction \"id:1,phase:0\"", "invalid phase");
  OneError("SecAction \"id:1,severity:LOUD\"", "invalid severity");
  OneError("SecAction \"id:1,t:lowercasee\"", "unknown transformation");
  OneError("SecAction \"id:1,setvar:foo=1\"", "expected COLLECTION.NAME");
  OneError("SecAction \"id:1,setvar:args.x=1\"", "not a writable collection");
  OneError("SecAction \"id:1,ctl:ruleEngin=On\"", "unknown ctl option");
  OneError("SecAction \"id:1,ctl:ruleEngine=Maybe\"", "invalid value 'Maybe'");
  OneError("SecAction \"id:1,ctl:ruleRemoveTargetById=942100\"", "SELECTOR;TARGETS");
  OneError("SecAction \"id:1,ctl:ruleRemoveTargetById=1;NOPE\"", "unknown variable 'NOPE'");
  OneError("SecAction \"id:1,exec:/usr/bin/x.lua\"", "'exec' is not supported");
  OneError("SecAction \"id:1,msg:'abc\"", "unterminated single-quoted");
  OneError("SecAction \"id:1,msg:'a' b\"", "expected ','");
  OneError("SecAction \"id:1,,pass\"", "empty action");
  OneError("SecAction \"id:1,skip:0\"", "skip needs a positive number");
  OneError("SecAction \"id:1,status:42\"", "invalid HTTP status");
  OneError("SecAction \"id:1,initcol:tx=x\"", "not a persistent collection");
  OneError("SecAction \"id:1,expirevar:ip.x=soon\"", "is not a number");
  OneError("SecAction \"id:1,xmlns:abc\"", "xmlns needs PREFIX=URI");
  OneError("SecAction \"id:1,xmlns:soap='schemas.xmlsoap.org/soap/envelope/'\"",
           "not a namespace URI");
}

TEST(ActionErrors, LocationPointsIntoContinuedQuotedString) {
  Parsed p = ParseText("SecRule ARGS \"@rx a\" \\\n    \"id:1,\\\n    bogus,\\\n    pass\"\n");
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].location.file, "t.conf");
  EXPECT_EQ(p.errors[0].location.line, 3u);
  EXPECT_EQ(p.errors[0].location.column, 5u);
  EXPECT_EQ(p.errors[0].ToString().rfind("t.conf:3:5: unknown action 'bogus'", 0), 0u);
}

// ---- rules, ids, chains ----

TEST(Rules, IdRequiredAndUnique) {
  OneError("SecRule ARGS \"a\" \"phase:2,pass\"", "has no id");
  Diagnostic d =
      OneError("SecAction \"id:7,pass\"\nSecAction \"id:7,pass\"", "duplicate rule id 7");
  EXPECT_EQ(d.location.line, 2u);
  EXPECT_NE(d.hint.find("t.conf:1:"), std::string::npos);
  OneError("SecAction \"id:-1,pass\"", "invalid rule id");
  OneError("SecAction \"id:111111111111111111111111111111,pass\"", "invalid rule id");
}

TEST(Rules, ModsecurityToleratedMistakesAreWarnings) {
  Parsed a = ParseText("SecAction \"pass\"");
  EXPECT_TRUE(a.errors.empty());
  ASSERT_EQ(a.warnings.size(), 1u);
  EXPECT_NE(a.warnings[0].message.find("SecAction has no id"), std::string::npos);

  Parsed b = ParseText("SecAction \"id:1,id:2\"");
  EXPECT_TRUE(b.errors.empty());
  ASSERT_EQ(b.warnings.size(), 1u);
  EXPECT_EQ(b.set.rules[0].id, 2);

  Parsed c = ParseText("SecRule ARGS \"a\" \"id:1,chain\"\n");
  EXPECT_TRUE(c.errors.empty());
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].message.find("file ends before the chained SecRule"), std::string::npos);
  EXPECT_FALSE(c.set.rules[0].child.has_value());

  Parsed d = ParseText("SecRule ARGS \"a\" \"id:1,chain\"\nSecRule ARGS \"b\" \"id:2\"\n");
  EXPECT_TRUE(d.errors.empty());
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_NE(d.warnings[0].message.find("id in a chained rule is ignored"), std::string::npos);
  EXPECT_EQ(d.set.rules[1].id, 0);

  Parsed e = ParseText("SecRule ARGS \"@rx a\" \"id:1,pass");
  EXPECT_TRUE(e.errors.empty());
  ASSERT_EQ(e.warnings.size(), 1u);
  EXPECT_EQ(e.warnings[0].location.column, 22u);
  ASSERT_EQ(e.set.rules.size(), 1u);
  EXPECT_EQ(e.set.rules[0].disruptive, ActionId::kPass);
}

TEST(Rules, ChainsAreLinked) {
  Parsed p = ParseText(
      "SecRule ARGS \"a\" \"id:1,phase:2,deny,chain\"\n"
      "  SecRule ARGS \"b\" \"chain,t:lowercase\"\n"
      "    SecRule ARGS \"c\" \"setvar:tx.x=1\"\n"
      "SecRule ARGS \"d\" \"id:2,pass\"\n");
  ASSERT_TRUE(p.errors.empty()) << p.errors[0].ToString();
  ASSERT_EQ(p.set.rules.size(), 4u);
  EXPECT_EQ(p.set.rules[0].child, 1u);
  EXPECT_EQ(p.set.rules[1].parent, 0u);
  EXPECT_EQ(p.set.rules[1].child, 2u);
  EXPECT_EQ(p.set.rules[2].parent, 1u);
  EXPECT_EQ(p.set.rules[2].chain_head, 0u);
  EXPECT_FALSE(p.set.rules[2].child.has_value());
  EXPECT_FALSE(p.set.rules[3].parent.has_value());
  EXPECT_EQ(p.set.rules[3].chain_head, 3u);
}

TEST(Rules, SkipAfterWithoutMarkerWarnsAndQuotedDirectiveHints) {
  Parsed p = ParseText("SecRule ARGS \"a\" \"id:1,pass,skipAfter:END_X\"\nSecMarker END_Y\n");
  EXPECT_TRUE(p.errors.empty());
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_NE(p.warnings[0].message.find("'END_X' has no SecMarker"), std::string::npos);
  Parsed q = ParseText("SecRule ARGS \"a\" \"id:1,pass,skipAfter:END_Y\"\nSecMarker END_Y\n");
  EXPECT_TRUE(q.warnings.empty());
  // A blank after the backslash ends the line; the next line then starts with a quote.
  Parsed r = ParseText("SecAction \\ \n  \"id:1,pass\"\n");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_NE(r.errors[1].message.find("got a quoted string"), std::string::npos);
  EXPECT_EQ(r.errors[1].location.line, 2u);
  EXPECT_EQ(r.errors[1].location.column, 3u);
}

TEST(Rules, MacrosAreCheckedForKnownVariables) {
  Parsed ok = ParseText(
      "SecRule ARGS \"@streq %{tx.a}\" \"id:1,pass,msg:'%{rule.msg} %{MATCHED_VAR} "
      "%{request_headers.host}',setvar:'tx.%{rule.id}=%{tx.0}'\"");
  EXPECT_TRUE(ok.errors.empty());
  EXPECT_TRUE(ok.warnings.empty()) << ok.warnings[0].ToString();
  Parsed bad = ParseText("SecRule ARGS \"@streq %{MATCHD_VAR}\" \"id:1,pass,logdata:'%{tx.a'\"");
  EXPECT_TRUE(bad.errors.empty());
  ASSERT_EQ(bad.warnings.size(), 2u);
  EXPECT_NE(bad.warnings[0].message.find("unknown variable 'MATCHD_VAR'"), std::string::npos);
  EXPECT_NE(bad.warnings[0].hint.find("MATCHED_VAR"), std::string::npos);
  EXPECT_NE(bad.warnings[1].message.find("unterminated macro"), std::string::npos);
}

TEST(Rules, ChainErrors) {
  OneError("SecRule ARGS \"a\" \"id:1,chain\"\nSecMarker X\n", "no SecRule follows");
  OneError("SecRule ARGS \"a\" \"id:1,chain\"\nSecRule ARGS \"b\" \"phase:1\"\n",
           "'phase' is not allowed in a chained rule");
  OneError("SecRule ARGS \"a\" \"id:1,chain\"\nSecRule ARGS \"b\" \"deny\"\n",
           "'deny' is not allowed in a chained rule");
}

TEST(Rules, ArgumentCountErrors) {
  OneError("SecRule ARGS", "SecRule takes VARIABLES");
  OneError("SecRule ARGS \"a\" \"id:1\" extra", "SecRule takes VARIABLES");
  OneError("SecAction id:1 pass", "SecAction takes one quoted action list");
}

// ---- directives ----

TEST(Directives, ConfigDirectivesAreKeptWithArguments) {
  Parsed p = ParseText(
      "SecRuleEngine DetectionOnly\n"
      "secrequestbodyaccess on\n"
      "SecRequestBodyLimit 13107200\n"
      "SecAuditLogParts ABIJDEFHZ\n"
      "SecAuditLogRelevantStatus \"^(?:5|4(?!04))\"\n"
      "SecResponseBodyMimeType text/plain text/html text/xml\n"
      "SecComponentSignature \"OWASP_CRS/3.3.4\"\n"
      "SecUploadFileMode 0600\n"
      "SecMarker END_HOST_CHECK\n"
      "SecRuleRemoveById 1 5-9 942100\n"
      "SecRuleRemoveByTag attack-sqli\n"
      "SecRuleUpdateTargetById 942100 !ARGS:password\n"
      "SecRuleUpdateActionById 942100 \"pass,t:lowercase\"\n"
      "SecDefaultAction \"phase:1,log,auditlog,pass\"\n"
      "SecDefaultAction \"phase:2,log,auditlog,pass\"\n"
      "SecRuleUpdateTargetByTag attack-sqli ARGS:a ARGS:b\n");
  ASSERT_TRUE(p.errors.empty()) << p.errors[0].ToString();
  ASSERT_EQ(p.set.directives.size(), 16u);
  const Directive& repl = p.set.directives[15];
  ASSERT_EQ(repl.variables.size(), 1u);
  ASSERT_EQ(repl.replacement.size(), 1u);
  EXPECT_EQ(repl.replacement[0].key, "b");
  EXPECT_EQ(p.set.directives[0].id, DirectiveId::kSecRuleEngine);
  EXPECT_EQ(p.set.directives[0].args[0], "DetectionOnly");
  EXPECT_EQ(p.set.directives[1].id, DirectiveId::kSecRequestBodyAccess);
  EXPECT_EQ(p.set.directives[4].args[0], "^(?:5|4(?!04))");
  EXPECT_EQ(p.set.directives[5].args.size(), 3u);
  const Directive& rm = p.set.directives[9];
  ASSERT_EQ(rm.id_ranges.size(), 3u);
  EXPECT_EQ(rm.id_ranges[1].first, 5);
  EXPECT_EQ(rm.id_ranges[1].second, 9);
  const Directive& ut = p.set.directives[11];
  ASSERT_EQ(ut.variables.size(), 1u);
  EXPECT_TRUE(ut.variables[0].exclusion);
  EXPECT_EQ(ut.variables[0].key, "password");
  EXPECT_EQ(p.set.directives[12].actions.size(), 2u);
  EXPECT_EQ(p.set.directives[13].location.line, 14u);
}

TEST(DirectiveErrors, EachKind) {
  Diagnostic d = OneError("SecRuleEngin On", "unknown directive 'SecRuleEngin'");
  EXPECT_NE(d.hint.find("SecRuleEngine"), std::string::npos);
  OneError("SecRuleEngine Maybe", "invalid value 'Maybe' for SecRuleEngine");
  OneError("SecRequestBodyLimit lots", "needs a non-negative integer");
  OneError("SecRequestBodyLimit 1 2", "takes 1 argument");
  OneError("SecAuditLogParts ABXZ", "invalid audit log parts");
  OneError("SecUploadFileMode 0999", "octal file mode");
  OneError("SecRemoteRules key https://example.com/rules.conf", "SecRemoteRules is not supported");
  OneError("SecRuleScript /x.lua \"id:1\"", "SecRuleScript is not supported");
  OneError("SecServerSignature \"Microsoft-IIS/6.0\"", "exists only in ModSecurity v2");
  OneError("SecRuleRemoveById 10-5", "invalid rule id or range");
  OneError("SecRuleUpdateTargetById 942100", "takes a selector");
  OneError("SecRuleUpdateActionById 942100 \"id:5\"", "cannot change 'id'");
  OneError("SecArgumentSeparator &&", "exactly one character");
  OneError("SecDefaultAction \"phase:2,log\"", "must specify a disruptive action");
  OneError("SecDefaultAction \"phase:1,log,block,status:404\"", "must specify a disruptive action");
  OneError("SecDefaultAction \"phase:2,rev:1,pass\"", "'rev' is not allowed in SecDefaultAction");
  OneError("SecDefaultAction \"phase:2,id:1,pass\"", "'id' is not allowed in SecDefaultAction");
  OneError("SecDefaultAction \"phase:2,t:none,pass\"", "t:none is not allowed");
  OneError("SecDefaultAction \"phase:2,pass\"\nSecDefaultAction \"phase:2,deny\"", "given twice");
  OneError("SecUnicodeMapFile /nonexistent/unicode.mapping 20127", "unicode map file not found");
}

TEST(Errors, AllErrorsAreReportedAtOnce) {
  Parsed p = ParseText(
      "SecFoo 1\n"
      "SecRule ARGZ \"x\" \"id:1\"\n"
      "SecRule ARGS \"@nope\" \"id:2\"\n"
      "SecRule ARGS \"x\" \"id:3,bogus\"\n"
      "SecAction \"id:4,pass\"\n"
      "SecAction \"id:4,pass\"\n");
  ASSERT_EQ(p.errors.size(), 5u);
  for (size_t i = 0; i < p.errors.size(); ++i)
    EXPECT_EQ(p.errors[i].location.line, i + 1 + (i == 4));
  // Rules without errors are still in the set.
  EXPECT_GE(p.set.rules.size(), 4u);
}

TEST(Errors, StatusListsEveryError) {
  auto r = ParseString("SecFoo\nSecBar\n", "x.conf");
  ASSERT_FALSE(r.ok());
  std::string msg(r.status().message());
  EXPECT_NE(msg.find("x.conf:1:1: unknown directive 'SecFoo'"), std::string::npos);
  EXPECT_NE(msg.find("x.conf:2:1: unknown directive 'SecBar'"), std::string::npos);
}

// ---- Include ----

class IncludeTest : public ::testing::Test {
 protected:
  void Write(const std::string& rel, const std::string& text) {
    std::string path = dir_.path() + "/" + rel;
    ASSERT_TRUE(platform::MakeDirs(platform::DirName(path)).ok());
    ASSERT_TRUE(platform::WriteFileAtomic(path, text).ok());
  }
  testing::TempDir dir_;
};

TEST_F(IncludeTest, GlobsAndRelativePathsInOrder) {
  Write("main.conf", "SecAction \"id:1,pass\"\nInclude rules/*.conf\nSecAction \"id:9,pass\"\n");
  Write("rules/b.conf", "SecAction \"id:3,pass\"\n");
  Write("rules/a.conf", "SecAction \"id:2,pass\"\nInclude ../extra/x.conf\n");
  Write("extra/x.conf", "SecRule ARGS \"@pmFromFile ../rules/words.data\" \"id:5,pass\"\n");
  Write("rules/words.data", "w\n");
  Parser p;
  p.ParseFile(dir_.path() + "/main.conf");
  p.Finish();
  ASSERT_TRUE(p.ok()) << p.ToStatus().ToString();
  const RuleSet& s = p.rule_set();
  std::vector<int64_t> ids;
  for (const Rule& r : s.rules) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2, 5, 3, 9}));
  EXPECT_EQ(s.files.size(), 4u);
  EXPECT_EQ(s.rules[2].location.file, dir_.path() + "/rules/../extra/x.conf");
  EXPECT_EQ(s.rules[2].location.line, 1u);
}

TEST_F(IncludeTest, IncludeOptionalToleratesMissingFiles) {
  Write("a.conf",
        "IncludeOptional nothere.conf\nIncludeOptional none/*.conf\n"
        "IncludeOptional b.conf\n");
  Write("b.conf", "SecAction \"id:1,pass\"\n");
  Parser p;
  p.ParseFile(dir_.path() + "/a.conf");
  p.Finish();
  EXPECT_TRUE(p.ok()) << p.ToStatus().ToString();
  EXPECT_EQ(p.rule_set().rules.size(), 1u);
}

TEST_F(IncludeTest, CycleIsDetected) {
  Write("a.conf", "Include b.conf\n");
  Write("b.conf", "SecAction \"id:1,pass\"\nInclude a.conf\n");
  Parser p;
  p.ParseFile(dir_.path() + "/a.conf");
  p.Finish();
  ASSERT_EQ(p.errors().size(), 1u);
  EXPECT_NE(p.errors()[0].message.find("Include cycle"), std::string::npos);
  EXPECT_EQ(p.errors()[0].location.line, 2u);
  EXPECT_EQ(p.rule_set().rules.size(), 1u);
}

TEST_F(IncludeTest, MissingFileAndEmptyGlobAreErrors) {
  Write("a.conf", "Include nothere.conf\nInclude none/*.conf\n");
  Parser p;
  p.ParseFile(dir_.path() + "/a.conf");
  p.Finish();
  ASSERT_EQ(p.errors().size(), 2u);
  EXPECT_NE(p.errors()[0].message.find("cannot open"), std::string::npos);
  EXPECT_NE(p.errors()[1].message.find("no file matches"), std::string::npos);
}

TEST_F(IncludeTest, DuplicateIdsAcrossFilesOfOneSet) {
  Write("a.conf", "SecAction \"id:40,pass\"\n");
  Write("b.conf", "SecAction \"id:40,pass\"\n");
  Parser p;
  p.ParseFile(dir_.path() + "/a.conf");
  p.ParseFile(dir_.path() + "/b.conf");
  p.Finish();
  ASSERT_EQ(p.errors().size(), 1u);
  EXPECT_EQ(p.errors()[0].location.file, dir_.path() + "/b.conf");
}

TEST(IncludeDisabled, FileAccessOffRejectsInclude) {
  ParseOptions o;
  o.allow_file_access = false;
  Parsed p = ParseText("Include /etc/passwd\n", o);
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_NE(p.errors[0].message.find("disabled"), std::string::npos);
}

}  // namespace
}  // namespace gs::seclang
