// The SecLang vocabulary: every variable, operator, transformation, action, ctl option and
// directive the parser recognises, as enums with their canonical spelling and a few static
// properties (takes a key, needs an argument, disruptive, ...).
//
// The tables are the single source of truth for names; the rule compiler maps the enums to its
// implementations. Lookups are case-insensitive (ModSecurity v3 accepts any case) and return
// std::nullopt for an unknown name. All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace gs::seclang {

// X(enum, "CANONICAL", takes_key). Collections take a key (ARGS:foo); scalars do not.
#define GS_SECLANG_VARIABLES(X)                                                \
  X(kArgs, "ARGS", true)                                                       \
  X(kArgsCombinedSize, "ARGS_COMBINED_SIZE", false)                            \
  X(kArgsGet, "ARGS_GET", true)                                                \
  X(kArgsGetNames, "ARGS_GET_NAMES", true)                                     \
  X(kArgsNames, "ARGS_NAMES", true)                                            \
  X(kArgsPost, "ARGS_POST", true)                                              \
  X(kArgsPostNames, "ARGS_POST_NAMES", true)                                   \
  X(kAuthType, "AUTH_TYPE", false)                                             \
  X(kDuration, "DURATION", false)                                              \
  X(kEnv, "ENV", true)                                                         \
  X(kFiles, "FILES", true)                                                     \
  X(kFilesCombinedSize, "FILES_COMBINED_SIZE", false)                          \
  X(kFilesNames, "FILES_NAMES", true)                                          \
  X(kFilesSizes, "FILES_SIZES", true)                                          \
  X(kFilesTmpContent, "FILES_TMP_CONTENT", true)                               \
  X(kFilesTmpNames, "FILES_TMPNAMES", true)                                    \
  X(kFullRequest, "FULL_REQUEST", false)                                       \
  X(kFullRequestLength, "FULL_REQUEST_LENGTH", false)                          \
  X(kGeo, "GEO", true)                                                         \
  X(kGlobal, "GLOBAL", true)                                                   \
  X(kHighestSeverity, "HIGHEST_SEVERITY", false)                               \
  X(kInboundDataError, "INBOUND_DATA_ERROR", false)                            \
  X(kIp, "IP", true)                                                           \
  X(kMatchedVar, "MATCHED_VAR", false)                                         \
  X(kMatchedVarName, "MATCHED_VAR_NAME", false)                                \
  X(kMatchedVars, "MATCHED_VARS", true)                                        \
  X(kMatchedVarsNames, "MATCHED_VARS_NAMES", true)                             \
  X(kModsecBuild, "MODSEC_BUILD", false)                                       \
  X(kMscPcreError, "MSC_PCRE_ERROR", false)                                    \
  X(kMscPcreLimitsExceeded, "MSC_PCRE_LIMITS_EXCEEDED", false)                 \
  X(kMultipartBoundaryQuoted, "MULTIPART_BOUNDARY_QUOTED", false)              \
  X(kMultipartBoundaryWhitespace, "MULTIPART_BOUNDARY_WHITESPACE", false)      \
  X(kMultipartCrlfLfLines, "MULTIPART_CRLF_LF_LINES", false)                   \
  X(kMultipartDataAfter, "MULTIPART_DATA_AFTER", false)                        \
  X(kMultipartDataBefore, "MULTIPART_DATA_BEFORE", false)                      \
  X(kMultipartFileLimitExceeded, "MULTIPART_FILE_LIMIT_EXCEEDED", false)       \
  X(kMultipartFilename, "MULTIPART_FILENAME", false)                           \
  X(kMultipartHeaderFolding, "MULTIPART_HEADER_FOLDING", false)                \
  X(kMultipartInvalidHeaderFolding, "MULTIPART_INVALID_HEADER_FOLDING", false) \
  X(kMultipartInvalidPart, "MULTIPART_INVALID_PART", false)                    \
  X(kMultipartInvalidQuoting, "MULTIPART_INVALID_QUOTING", false)              \
  X(kMultipartLfLine, "MULTIPART_LF_LINE", false)                              \
  X(kMultipartMissingSemicolon, "MULTIPART_MISSING_SEMICOLON", false)          \
  X(kMultipartName, "MULTIPART_NAME", false)                                   \
  X(kMultipartPartHeaders, "MULTIPART_PART_HEADERS", true)                     \
  X(kMultipartStrictError, "MULTIPART_STRICT_ERROR", false)                    \
  X(kMultipartUnmatchedBoundary, "MULTIPART_UNMATCHED_BOUNDARY", false)        \
  X(kOutboundDataError, "OUTBOUND_DATA_ERROR", false)                          \
  X(kPathInfo, "PATH_INFO", false)                                             \
  X(kQueryString, "QUERY_STRING", false)                                       \
  X(kRemoteAddr, "REMOTE_ADDR", false)                                         \
  X(kRemoteHost, "REMOTE_HOST", false)                                         \
  X(kRemotePort, "REMOTE_PORT", false)                                         \
  X(kRemoteUser, "REMOTE_USER", false)                                         \
  X(kReqbodyError, "REQBODY_ERROR", false)                                     \
  X(kReqbodyErrorMsg, "REQBODY_ERROR_MSG", false)                              \
  X(kReqbodyProcessor, "REQBODY_PROCESSOR", false)                             \
  X(kReqbodyProcessorError, "REQBODY_PROCESSOR_ERROR", false)                  \
  X(kReqbodyProcessorErrorMsg, "REQBODY_PROCESSOR_ERROR_MSG", false)           \
  X(kRequestBasename, "REQUEST_BASENAME", false)                               \
  X(kRequestBody, "REQUEST_BODY", false)                                       \
  X(kRequestBodyLength, "REQUEST_BODY_LENGTH", false)                          \
  X(kRequestCookies, "REQUEST_COOKIES", true)                                  \
  X(kRequestCookiesNames, "REQUEST_COOKIES_NAMES", true)                       \
  X(kRequestFilename, "REQUEST_FILENAME", false)                               \
  X(kRequestHeaders, "REQUEST_HEADERS", true)                                  \
  X(kRequestHeadersNames, "REQUEST_HEADERS_NAMES", true)                       \
  X(kRequestLine, "REQUEST_LINE", false)                                       \
  X(kRequestMethod, "REQUEST_METHOD", false)                                   \
  X(kRequestProtocol, "REQUEST_PROTOCOL", false)                               \
  X(kRequestUri, "REQUEST_URI", false)                                         \
  X(kRequestUriRaw, "REQUEST_URI_RAW", false)                                  \
  X(kResource, "RESOURCE", true)                                               \
  X(kResponseBody, "RESPONSE_BODY", false)                                     \
  X(kResponseContentLength, "RESPONSE_CONTENT_LENGTH", false)                  \
  X(kResponseContentType, "RESPONSE_CONTENT_TYPE", false)                      \
  X(kResponseHeaders, "RESPONSE_HEADERS", true)                                \
  X(kResponseHeadersNames, "RESPONSE_HEADERS_NAMES", true)                     \
  X(kResponseProtocol, "RESPONSE_PROTOCOL", false)                             \
  X(kResponseStatus, "RESPONSE_STATUS", false)                                 \
  X(kRule, "RULE", true)                                                       \
  X(kServerAddr, "SERVER_ADDR", false)                                         \
  X(kServerName, "SERVER_NAME", false)                                         \
  X(kServerPort, "SERVER_PORT", false)                                         \
  X(kSession, "SESSION", true)                                                 \
  X(kSessionId, "SESSIONID", false)                                            \
  X(kStatusLine, "STATUS_LINE", false)                                         \
  X(kTime, "TIME", false)                                                      \
  X(kTimeDay, "TIME_DAY", false)                                               \
  X(kTimeEpoch, "TIME_EPOCH", false)                                           \
  X(kTimeHour, "TIME_HOUR", false)                                             \
  X(kTimeMin, "TIME_MIN", false)                                               \
  X(kTimeMon, "TIME_MON", false)                                               \
  X(kTimeSec, "TIME_SEC", false)                                               \
  X(kTimeWday, "TIME_WDAY", false)                                             \
  X(kTimeYear, "TIME_YEAR", false)                                             \
  X(kTx, "TX", true)                                                           \
  X(kUniqueId, "UNIQUE_ID", false)                                             \
  X(kUrlencodedError, "URLENCODED_ERROR", false)                               \
  X(kUser, "USER", true)                                                       \
  X(kUserId, "USERID", false)                                                  \
  X(kWebAppId, "WEBAPPID", false)                                              \
  X(kXml, "XML", true)

enum class VariableId : uint8_t {
#define GS_X(e, s, k) e,
  GS_SECLANG_VARIABLES(GS_X)
#undef GS_X
};

// X(enum, "canonicalName", needs_argument)
#define GS_SECLANG_OPERATORS(X)                           \
  X(kBeginsWith, "beginsWith", false)                     \
  X(kContains, "contains", false)                         \
  X(kContainsWord, "containsWord", false)                 \
  X(kDetectSqli, "detectSQLi", false)                     \
  X(kDetectXss, "detectXSS", false)                       \
  X(kEndsWith, "endsWith", false)                         \
  X(kEq, "eq", false)                                     \
  X(kFuzzyHash, "fuzzyHash", true)                        \
  X(kGe, "ge", false)                                     \
  X(kGeoLookup, "geoLookup", false)                       \
  X(kGsbLookup, "gsbLookup", true)                        \
  X(kGt, "gt", false)                                     \
  X(kInspectFile, "inspectFile", true)                    \
  X(kIpMatch, "ipMatch", true)                            \
  X(kIpMatchF, "ipMatchF", true)                          \
  X(kIpMatchFromFile, "ipMatchFromFile", true)            \
  X(kLe, "le", false)                                     \
  X(kLt, "lt", false)                                     \
  X(kNoMatch, "noMatch", false)                           \
  X(kPm, "pm", true)                                      \
  X(kPmf, "pmf", true)                                    \
  X(kPmFromFile, "pmFromFile", true)                      \
  X(kRbl, "rbl", true)                                    \
  X(kRsub, "rsub", true)                                  \
  X(kRx, "rx", false)                                     \
  X(kRxGlobal, "rxGlobal", false)                         \
  X(kStreq, "streq", false)                               \
  X(kStrmatch, "strmatch", true)                          \
  X(kUnconditionalMatch, "unconditionalMatch", false)     \
  X(kValidateByteRange, "validateByteRange", true)        \
  X(kValidateDtd, "validateDTD", true)                    \
  X(kValidateHash, "validateHash", true)                  \
  X(kValidateSchema, "validateSchema", true)              \
  X(kValidateUrlEncoding, "validateUrlEncoding", false)   \
  X(kValidateUtf8Encoding, "validateUtf8Encoding", false) \
  X(kVerifyCc, "verifyCC", true)                          \
  X(kVerifyCpf, "verifyCPF", true)                        \
  X(kVerifySsn, "verifySSN", true)                        \
  X(kVerifySvnr, "verifySVNR", true)                      \
  X(kWithin, "within", false)

enum class OperatorId : uint8_t {
#define GS_X(e, s, a) e,
  GS_SECLANG_OPERATORS(GS_X)
#undef GS_X
};

#define GS_SECLANG_TRANSFORMATIONS(X)          \
  X(kBase64Decode, "base64Decode")             \
  X(kBase64DecodeExt, "base64DecodeExt")       \
  X(kBase64Encode, "base64Encode")             \
  X(kCmdLine, "cmdLine")                       \
  X(kCompressWhitespace, "compressWhitespace") \
  X(kCssDecode, "cssDecode")                   \
  X(kEscapeSeqDecode, "escapeSeqDecode")       \
  X(kHexDecode, "hexDecode")                   \
  X(kHexEncode, "hexEncode")                   \
  X(kHtmlEntityDecode, "htmlEntityDecode")     \
  X(kJsDecode, "jsDecode")                     \
  X(kLength, "length")                         \
  X(kLowercase, "lowercase")                   \
  X(kMd5, "md5")                               \
  X(kNone, "none")                             \
  X(kNormalisePath, "normalisePath")           \
  X(kNormalizePath, "normalizePath")           \
  X(kNormalisePathWin, "normalisePathWin")     \
  X(kNormalizePathWin, "normalizePathWin")     \
  X(kParityEven7bit, "parityEven7bit")         \
  X(kParityOdd7bit, "parityOdd7bit")           \
  X(kParityZero7bit, "parityZero7bit")         \
  X(kRemoveComments, "removeComments")         \
  X(kRemoveCommentsChar, "removeCommentsChar") \
  X(kRemoveNulls, "removeNulls")               \
  X(kRemoveWhitespace, "removeWhitespace")     \
  X(kReplaceComments, "replaceComments")       \
  X(kReplaceNulls, "replaceNulls")             \
  X(kSha1, "sha1")                             \
  X(kSqlHexDecode, "sqlHexDecode")             \
  X(kTrim, "trim")                             \
  X(kTrimLeft, "trimLeft")                     \
  X(kTrimRight, "trimRight")                   \
  X(kUppercase, "uppercase")                   \
  X(kUrlDecode, "urlDecode")                   \
  X(kUrlDecodeUni, "urlDecodeUni")             \
  X(kUrlEncode, "urlEncode")                   \
  X(kUtf8ToUnicode, "utf8toUnicode")

enum class TransformationId : uint8_t {
#define GS_X(e, s) e,
  GS_SECLANG_TRANSFORMATIONS(GS_X)
#undef GS_X
};

// How an action participates in a rule (ModSecurity reference manual "Actions" groups).
enum class ActionGroup : uint8_t { kDisruptive, kFlow, kMetadata, kData, kNonDisruptive };

// Whether an action takes a value after ':'.
enum class ActionValue : uint8_t { kNone, kRequired, kOptional };

// X(enum, "canonicalName", group, value)
#define GS_SECLANG_ACTIONS(X)                                                     \
  X(kAccuracy, "accuracy", kMetadata, kRequired)                                  \
  X(kAllow, "allow", kDisruptive, kOptional)                                      \
  X(kAppend, "append", kNonDisruptive, kRequired)                                 \
  X(kAuditlog, "auditlog", kNonDisruptive, kNone)                                 \
  X(kBlock, "block", kDisruptive, kNone)                                          \
  X(kCapture, "capture", kNonDisruptive, kNone)                                   \
  X(kChain, "chain", kFlow, kNone)                                                \
  X(kCtl, "ctl", kNonDisruptive, kRequired)                                       \
  X(kDeny, "deny", kDisruptive, kNone)                                            \
  X(kDeprecatevar, "deprecatevar", kNonDisruptive, kRequired)                     \
  X(kDrop, "drop", kDisruptive, kNone)                                            \
  X(kExec, "exec", kNonDisruptive, kRequired)                                     \
  X(kExpirevar, "expirevar", kNonDisruptive, kRequired)                           \
  X(kId, "id", kMetadata, kRequired)                                              \
  X(kInitcol, "initcol", kNonDisruptive, kRequired)                               \
  X(kLog, "log", kNonDisruptive, kNone)                                           \
  X(kLogdata, "logdata", kNonDisruptive, kRequired)                               \
  X(kMaturity, "maturity", kMetadata, kRequired)                                  \
  X(kMsg, "msg", kMetadata, kRequired)                                            \
  X(kMultiMatch, "multiMatch", kNonDisruptive, kNone)                             \
  X(kNoauditlog, "noauditlog", kNonDisruptive, kNone)                             \
  X(kNolog, "nolog", kNonDisruptive, kNone)                                       \
  X(kPass, "pass", kDisruptive, kNone)                                            \
  X(kPause, "pause", kDisruptive, kRequired)                                      \
  X(kPhase, "phase", kMetadata, kRequired)                                        \
  X(kPrepend, "prepend", kNonDisruptive, kRequired)                               \
  X(kProxy, "proxy", kDisruptive, kRequired)                                      \
  X(kRedirect, "redirect", kDisruptive, kRequired)                                \
  X(kRev, "rev", kMetadata, kRequired)                                            \
  X(kSanitiseArg, "sanitiseArg", kNonDisruptive, kRequired)                       \
  X(kSanitiseMatched, "sanitiseMatched", kNonDisruptive, kNone)                   \
  X(kSanitiseMatchedBytes, "sanitiseMatchedBytes", kNonDisruptive, kOptional)     \
  X(kSanitiseRequestHeader, "sanitiseRequestHeader", kNonDisruptive, kRequired)   \
  X(kSanitiseResponseHeader, "sanitiseResponseHeader", kNonDisruptive, kRequired) \
  X(kSetenv, "setenv", kNonDisruptive, kRequired)                                 \
  X(kSetrsc, "setrsc", kNonDisruptive, kRequired)                                 \
  X(kSetsid, "setsid", kNonDisruptive, kRequired)                                 \
  X(kSetuid, "setuid", kNonDisruptive, kRequired)                                 \
  X(kSetvar, "setvar", kNonDisruptive, kRequired)                                 \
  X(kSeverity, "severity", kMetadata, kRequired)                                  \
  X(kSkip, "skip", kFlow, kRequired)                                              \
  X(kSkipAfter, "skipAfter", kFlow, kRequired)                                    \
  X(kStatus, "status", kData, kRequired)                                          \
  X(kTag, "tag", kMetadata, kRequired)                                            \
  X(kT, "t", kNonDisruptive, kRequired)                                           \
  X(kVer, "ver", kMetadata, kRequired)                                            \
  X(kXmlns, "xmlns", kData, kRequired)

enum class ActionId : uint8_t {
#define GS_X(e, s, g, v) e,
  GS_SECLANG_ACTIONS(GS_X)
#undef GS_X
};

#define GS_SECLANG_CTL_OPTIONS(X)                          \
  X(kAuditEngine, "auditEngine")                           \
  X(kAuditLogParts, "auditLogParts")                       \
  X(kDebugLogLevel, "debugLogLevel")                       \
  X(kForceRequestBodyVariable, "forceRequestBodyVariable") \
  X(kHashEnforcement, "hashEnforcement")                   \
  X(kHashEngine, "hashEngine")                             \
  X(kParseXmlIntoArgs, "parseXmlIntoArgs")                 \
  X(kRequestBodyAccess, "requestBodyAccess")               \
  X(kRequestBodyLimit, "requestBodyLimit")                 \
  X(kRequestBodyProcessor, "requestBodyProcessor")         \
  X(kResponseBodyAccess, "responseBodyAccess")             \
  X(kResponseBodyLimit, "responseBodyLimit")               \
  X(kRuleEngine, "ruleEngine")                             \
  X(kRuleRemoveById, "ruleRemoveById")                     \
  X(kRuleRemoveByMsg, "ruleRemoveByMsg")                   \
  X(kRuleRemoveByTag, "ruleRemoveByTag")                   \
  X(kRuleRemoveTargetById, "ruleRemoveTargetById")         \
  X(kRuleRemoveTargetByMsg, "ruleRemoveTargetByMsg")       \
  X(kRuleRemoveTargetByTag, "ruleRemoveTargetByTag")

enum class CtlOption : uint8_t {
#define GS_X(e, s) e,
  GS_SECLANG_CTL_OPTIONS(GS_X)
#undef GS_X
};

// Kinds of argument a configuration directive takes, for validation at parse time.
enum class DirectiveArgs : uint8_t {
  kOnOff,           // On | Off
  kOnOffDetect,     // On | Off | DetectionOnly
  kAuditEngine,     // On | Off | RelevantOnly
  kLimitAction,     // Reject | ProcessPartial
  kNumber,          // one unsigned integer
  kOctalMode,       // one octal file mode (e.g. 0600)
  kOneString,       // exactly one argument, any text
  kOneOrMore,       // one or more arguments
  kTwoStrings,      // exactly two arguments
  kAuditLogParts,   // letters from ABCDEFGHIJKZ
  kAuditLogType,    // Serial | Concurrent | Parallel | HTTPS
  kAuditLogFormat,  // JSON | Native
  kSpecial,         // parsed by a dedicated routine (rules, actions, includes, removals)
  kNone,            // no argument
};

// X(enum, "CanonicalName", args, supported). Unsupported directives are recognised so the error
// can say why instead of "unknown directive".
#define GS_SECLANG_DIRECTIVES(X)                                                   \
  X(kInclude, "Include", kSpecial, true)                                           \
  X(kIncludeOptional, "IncludeOptional", kSpecial, true)                           \
  X(kSecAction, "SecAction", kSpecial, true)                                       \
  X(kSecArgumentSeparator, "SecArgumentSeparator", kOneString, true)               \
  X(kSecArgumentsLimit, "SecArgumentsLimit", kNumber, true)                        \
  X(kSecAuditEngine, "SecAuditEngine", kAuditEngine, true)                         \
  X(kSecAuditLog, "SecAuditLog", kOneString, true)                                 \
  X(kSecAuditLog2, "SecAuditLog2", kOneString, true)                               \
  X(kSecAuditLogDirMode, "SecAuditLogDirMode", kOctalMode, true)                   \
  X(kSecAuditLogFileMode, "SecAuditLogFileMode", kOctalMode, true)                 \
  X(kSecAuditLogFormat, "SecAuditLogFormat", kAuditLogFormat, true)                \
  X(kSecAuditLogParts, "SecAuditLogParts", kAuditLogParts, true)                   \
  X(kSecAuditLogRelevantStatus, "SecAuditLogRelevantStatus", kOneString, true)     \
  X(kSecAuditLogStorageDir, "SecAuditLogStorageDir", kOneString, true)             \
  X(kSecAuditLogType, "SecAuditLogType", kAuditLogType, true)                      \
  X(kSecCollectionTimeout, "SecCollectionTimeout", kNumber, true)                  \
  X(kSecComponentSignature, "SecComponentSignature", kOneString, true)             \
  X(kSecCookieFormat, "SecCookieFormat", kNumber, true)                            \
  X(kSecDataDir, "SecDataDir", kOneString, true)                                   \
  X(kSecDebugLog, "SecDebugLog", kOneString, true)                                 \
  X(kSecDebugLogLevel, "SecDebugLogLevel", kNumber, true)                          \
  X(kSecDefaultAction, "SecDefaultAction", kSpecial, true)                         \
  X(kSecGeoLookupDb, "SecGeoLookupDb", kOneString, true)                           \
  X(kSecHttpBlKey, "SecHttpBlKey", kOneString, true)                               \
  X(kSecMarker, "SecMarker", kOneString, true)                                     \
  X(kSecPcreMatchLimit, "SecPcreMatchLimit", kNumber, true)                        \
  X(kSecPcreMatchLimitRecursion, "SecPcreMatchLimitRecursion", kNumber, true)      \
  X(kSecRemoteRules, "SecRemoteRules", kSpecial, false)                            \
  X(kSecRemoteRulesFailAction, "SecRemoteRulesFailAction", kOneString, false)      \
  X(kSecRequestBodyAccess, "SecRequestBodyAccess", kOnOff, true)                   \
  X(kSecRequestBodyInMemoryLimit, "SecRequestBodyInMemoryLimit", kNumber, true)    \
  X(kSecRequestBodyJsonDepthLimit, "SecRequestBodyJsonDepthLimit", kNumber, true)  \
  X(kSecRequestBodyLimit, "SecRequestBodyLimit", kNumber, true)                    \
  X(kSecRequestBodyLimitAction, "SecRequestBodyLimitAction", kLimitAction, true)   \
  X(kSecRequestBodyNoFilesLimit, "SecRequestBodyNoFilesLimit", kNumber, true)      \
  X(kSecResponseBodyAccess, "SecResponseBodyAccess", kOnOff, true)                 \
  X(kSecResponseBodyLimit, "SecResponseBodyLimit", kNumber, true)                  \
  X(kSecResponseBodyLimitAction, "SecResponseBodyLimitAction", kLimitAction, true) \
  X(kSecResponseBodyMimeType, "SecResponseBodyMimeType", kOneOrMore, true)         \
  X(kSecResponseBodyMimeTypesClear, "SecResponseBodyMimeTypesClear", kNone, true)  \
  X(kSecRule, "SecRule", kSpecial, true)                                           \
  X(kSecRuleEngine, "SecRuleEngine", kOnOffDetect, true)                           \
  X(kSecRuleRemoveById, "SecRuleRemoveById", kSpecial, true)                       \
  X(kSecRuleRemoveByMsg, "SecRuleRemoveByMsg", kOneString, true)                   \
  X(kSecRuleRemoveByTag, "SecRuleRemoveByTag", kOneString, true)                   \
  X(kSecRuleScript, "SecRuleScript", kSpecial, false)                              \
  X(kSecRuleUpdateActionById, "SecRuleUpdateActionById", kSpecial, true)           \
  X(kSecRuleUpdateTargetById, "SecRuleUpdateTargetById", kSpecial, true)           \
  X(kSecRuleUpdateTargetByMsg, "SecRuleUpdateTargetByMsg", kSpecial, true)         \
  X(kSecRuleUpdateTargetByTag, "SecRuleUpdateTargetByTag", kSpecial, true)         \
  X(kSecStatusEngine, "SecStatusEngine", kOnOff, true)                             \
  X(kSecTmpDir, "SecTmpDir", kOneString, true)                                     \
  X(kSecTmpSaveUploadedFiles, "SecTmpSaveUploadedFiles", kOnOff, true)             \
  X(kSecUnicodeMapFile, "SecUnicodeMapFile", kTwoStrings, true)                    \
  X(kSecUploadDir, "SecUploadDir", kOneString, true)                               \
  X(kSecUploadFileLimit, "SecUploadFileLimit", kNumber, true)                      \
  X(kSecUploadFileMode, "SecUploadFileMode", kOctalMode, true)                     \
  X(kSecUploadKeepFiles, "SecUploadKeepFiles", kOnOff, true)                       \
  X(kSecWebAppId, "SecWebAppId", kOneString, true)                                 \
  X(kSecXmlExternalEntity, "SecXmlExternalEntity", kOnOff, true)                   \
  /* ModSecurity v2 only: recognised to say so. */                                 \
  X(kV2CacheTransformations, "SecCacheTransformations", kSpecial, false)           \
  X(kV2ChrootDir, "SecChrootDir", kSpecial, false)                                 \
  X(kV2ConnEngine, "SecConnEngine", kSpecial, false)                               \
  X(kV2ConnReadStateLimit, "SecConnReadStateLimit", kSpecial, false)               \
  X(kV2ConnWriteStateLimit, "SecConnWriteStateLimit", kSpecial, false)             \
  X(kV2ContentInjection, "SecContentInjection", kSpecial, false)                   \
  X(kV2DisableBackendCompression, "SecDisableBackendCompression", kSpecial, false) \
  X(kV2GsbLookupDb, "SecGsbLookupDb", kSpecial, false)                             \
  X(kV2GuardianLog, "SecGuardianLog", kSpecial, false)                             \
  X(kV2HashEngine, "SecHashEngine", kSpecial, false)                               \
  X(kV2HashKey, "SecHashKey", kSpecial, false)                                     \
  X(kV2HashMethodPm, "SecHashMethodPm", kSpecial, false)                           \
  X(kV2HashMethodRx, "SecHashMethodRx", kSpecial, false)                           \
  X(kV2HashParam, "SecHashParam", kSpecial, false)                                 \
  X(kV2InterceptOnError, "SecInterceptOnError", kSpecial, false)                   \
  X(kV2ReadStateLimit, "SecReadStateLimit", kSpecial, false)                       \
  X(kV2RuleInheritance, "SecRuleInheritance", kSpecial, false)                     \
  X(kV2RulePerfTime, "SecRulePerfTime", kSpecial, false)                           \
  X(kV2SensorId, "SecSensorId", kSpecial, false)                                   \
  X(kV2ServerSignature, "SecServerSignature", kSpecial, false)                     \
  X(kV2StreamInBodyInspection, "SecStreamInBodyInspection", kSpecial, false)       \
  X(kV2StreamOutBodyInspection, "SecStreamOutBodyInspection", kSpecial, false)     \
  X(kV2UploadKeepFilesPath, "SecUploadKeepFilesPath", kSpecial, false)             \
  X(kV2WriteStateLimit, "SecWriteStateLimit", kSpecial, false)

enum class DirectiveId : uint8_t {
#define GS_X(e, s, a, u) e,
  GS_SECLANG_DIRECTIVES(GS_X)
#undef GS_X
};

struct VariableInfo {
  VariableId id;
  std::string_view name;
  bool takes_key;
};
struct OperatorInfo {
  OperatorId id;
  std::string_view name;
  bool needs_argument;
};
struct TransformationInfo {
  TransformationId id;
  std::string_view name;
};
struct ActionInfo {
  ActionId id;
  std::string_view name;
  ActionGroup group;
  ActionValue value;
};
struct CtlInfo {
  CtlOption id;
  std::string_view name;
};
struct DirectiveInfo {
  DirectiveId id;
  std::string_view name;
  DirectiveArgs args;
  bool supported;
};

// Case-insensitive lookups; nullptr when unknown. Returned pointers are to static tables.
const VariableInfo* FindVariable(std::string_view name);
const OperatorInfo* FindOperator(std::string_view name);
const TransformationInfo* FindTransformation(std::string_view name);
const ActionInfo* FindAction(std::string_view name);
const CtlInfo* FindCtlOption(std::string_view name);
const DirectiveInfo* FindDirective(std::string_view name);

// Info by id (always valid for a valid enum value).
const VariableInfo& GetVariable(VariableId id);
const OperatorInfo& GetOperator(OperatorId id);
const TransformationInfo& GetTransformation(TransformationId id);
const ActionInfo& GetAction(ActionId id);
const CtlInfo& GetCtlOption(CtlOption id);
const DirectiveInfo& GetDirective(DirectiveId id);

// True for the persistent collections that setvar/initcol/expirevar may address.
bool IsWritableCollection(VariableId id);

// Severity "CRITICAL" or "2" -> 2; nullopt if neither a known name nor 0..7.
std::optional<int> ParseSeverity(std::string_view text);
std::string_view SeverityName(int severity);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace gs::seclang
