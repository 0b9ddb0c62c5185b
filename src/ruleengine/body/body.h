// Request body processors: turn a request body (or a query string) into SecLang variables with
// ModSecurity v3 semantics (ARGS names and values, FILES*, MULTIPART_*, REQBODY_ERROR ...).
//
// The rule engine owns one BodyResult per transaction and passes it to the processor chosen by
// Content-Type or ctl:requestBodyProcessor. Every processor appends to that result; it never
// throws and never fails as a function: malformed input is reported the way ModSecurity reports
// it, through flags and error_msg, so rules can decide what to do.
//
// Allocation: names and values are string_views. Where no decoding is needed they point into the
// caller's input buffer (which must outlive the result); otherwise into result.arena (a
// per-transaction bump allocator freed with the result). A result is not thread-safe; distinct
// results may be used from distinct threads concurrently.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct _xmlDoc;  // libxml2's document; see XmlDocument.

namespace gs::body {

// Flags a processor can raise. Names (FlagName) are the SecLang variable names ModSecurity uses.
// REQBODY_ERROR is raised together with a message in BodyResult::error_msg.
enum class Flag : uint8_t {
  kReqbodyError,                 // REQBODY_ERROR (also REQBODY_PROCESSOR_ERROR)
  kUrlencodedError,              // URLENCODED_ERROR: invalid %XX seen
  kArgumentsLimitExceeded,       // SecArgumentsLimit reached; further args dropped
  kMultipartStrictError,         // MULTIPART_STRICT_ERROR: OR of the flags below (not CRLF_LF)
  kMultipartBoundaryQuoted,      // MULTIPART_BOUNDARY_QUOTED
  kMultipartBoundaryWhitespace,  // MULTIPART_BOUNDARY_WHITESPACE
  kMultipartDataBefore,          // MULTIPART_DATA_BEFORE
  kMultipartDataAfter,           // MULTIPART_DATA_AFTER
  kMultipartHeaderFolding,       // MULTIPART_HEADER_FOLDING
  kMultipartLfLine,              // MULTIPART_LF_LINE
  kMultipartMissingSemicolon,    // MULTIPART_MISSING_SEMICOLON (alias MULTIPART_SEMICOLON_MISSING)
  kMultipartInvalidQuoting,      // MULTIPART_INVALID_QUOTING
  kMultipartInvalidPart,         // MULTIPART_INVALID_PART
  kMultipartInvalidHeaderFolding,  // MULTIPART_INVALID_HEADER_FOLDING
  kMultipartFileLimitExceeded,     // MULTIPART_FILE_LIMIT_EXCEEDED
  kMultipartUnmatchedBoundary,     // MULTIPART_UNMATCHED_BOUNDARY
  kMultipartCrlfLfLines,           // MULTIPART_CRLF_LF_LINES: both CRLF and LF line ends seen
  kMultipartError,                 // internal: parser error (part of MULTIPART_STRICT_ERROR)
  kCount
};
inline constexpr size_t kFlagCount = static_cast<size_t>(Flag::kCount);

// "REQBODY_ERROR", "MULTIPART_LF_LINE", ...; kArgumentsLimitExceeded has no ModSecurity variable
// and is named "ARGUMENTS_LIMIT_EXCEEDED".
std::string_view FlagName(Flag flag);

// Where an argument came from; selects ARGS_GET vs ARGS_POST and names the source in logs.
enum class Origin : uint8_t { kQueryString, kBody, kJson, kXml };

struct Arg {
  std::string_view name;
  std::string_view value;
  Origin origin;
};

// One key/value of a collection such as FILES, MULTIPART_PART_HEADERS, MULTIPART_NAME.
struct KeyValue {
  std::string_view key;
  std::string_view value;
};

// A file part of a multipart body. FILES:<part_name> = filename, FILES_NAMES = part_name,
// FILES_SIZES:<part_name> = size. content is FILES_TMP_CONTENT (only when
// Limits::keep_file_content; it points into the body buffer).
struct FilePart {
  std::string_view part_name;
  std::string_view filename;
  uint64_t size = 0;
  std::string_view content;
};

// Bump allocator for decoded strings. Copy() returns a view that stays valid until the arena is
// destroyed or Reset(). Blocks are reused after Reset() so a pooled result allocates nothing in
// steady state.
class Arena {
 public:
  std::string_view Copy(std::string_view s);
  // Reserves n bytes for the caller to fill; valid as Copy's result.
  char* Allocate(size_t n);
  void Reset();
  size_t bytes_used() const { return used_total_; }

 private:
  static constexpr size_t kBlockSize = 8192;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::unique_ptr<char[]>> large_;
  size_t block_index_ = 0;  // current block in blocks_
  size_t block_used_ = kBlockSize;
  size_t used_total_ = 0;
};

// Owns a parsed XML document (libxml2) for later XPath evaluation by the engine. Move-only.
class XmlDocument {
 public:
  XmlDocument() = default;
  explicit XmlDocument(_xmlDoc* doc) : doc_(doc) {}
  XmlDocument(XmlDocument&& o) noexcept : doc_(o.doc_) { o.doc_ = nullptr; }
  XmlDocument& operator=(XmlDocument&& o) noexcept;
  XmlDocument(const XmlDocument&) = delete;
  XmlDocument& operator=(const XmlDocument&) = delete;
  ~XmlDocument();
  _xmlDoc* get() const { return doc_; }
  explicit operator bool() const { return doc_ != nullptr; }

 private:
  _xmlDoc* doc_ = nullptr;
};

// Everything a processor produces for one transaction.
struct BodyResult {
  std::vector<Arg> args;               // ARGS (in order seen)
  std::vector<FilePart> files;         // FILES, FILES_NAMES, FILES_SIZES, FILES_TMP_CONTENT
  std::vector<KeyValue> part_headers;  // MULTIPART_PART_HEADERS:<part name> = "Name: value"
  std::vector<std::string_view> multipart_names;      // MULTIPART_NAME (every C-D name seen)
  std::vector<std::string_view> multipart_filenames;  // MULTIPART_FILENAME
  std::bitset<kFlagCount> flags;
  std::string error_msg;             // REQBODY_ERROR_MSG when kReqbodyError is set
  size_t args_combined_size = 0;     // ARGS_COMBINED_SIZE: sum of name + value lengths
  uint64_t files_combined_size = 0;  // FILES_COMBINED_SIZE
  std::string xml_text;              // XML:/* (text content of the root element)
  XmlDocument xml;                   // parsed document, when the body was valid XML
  Arena arena;

  bool Has(Flag f) const { return flags.test(static_cast<size_t>(f)); }
  void Set(Flag f) { flags.set(static_cast<size_t>(f)); }
  // Sets REQBODY_ERROR with msg, keeping the first message if one was already set.
  void SetError(std::string_view msg);
  // Empties everything, keeping allocated capacity.
  void Clear();
};

// Configuration knobs (SecArgumentSeparator, SecArgumentsLimit, SecRequestBodyJsonDepthLimit,
// SecUploadFileLimit ...). Defaults are ModSecurity's.
struct Limits {
  char argument_separator = '&';
  size_t arguments_limit = 0;       // 0 = unlimited; counts args already in the result too
  size_t json_depth_limit = 10000;  // nesting of objects + arrays; exceeding it is REQBODY_ERROR
  size_t upload_file_limit = 100;   // SecUploadFileLimit; 0 = unlimited
  bool keep_file_content = false;   // fill FilePart::content (FILES_TMP_CONTENT)
  size_t max_body_size = 128 * 1024 * 1024;  // larger inputs: REQBODY_ERROR, nothing parsed
};

// application/x-www-form-urlencoded and QUERY_STRING. Splits on limits.argument_separator, then
// on the first '='; decodes '+' and %XX like ModSecurity's urldecode_nonstrict (an invalid or
// truncated %XX is kept literally and raises kUrlencodedError). Empty pieces give args with empty
// names/values, except that one trailing empty piece is dropped (ModSecurity splits with
// std::getline). Args beyond arguments_limit are dropped and kArgumentsLimitExceeded raised.
void ParseUrlEncoded(std::string_view input, Origin origin, const Limits& limits,
                     BodyResult* result);

// multipart/form-data. content_type is the full Content-Type header value (boundary taken from
// it as ModSecurity v3 does). Text parts become ARGS (origin kBody), file parts FILES.
// Whole-buffer: the engine buffers the body (REQUEST_BODY needs it anyway).
void ParseMultipart(std::string_view content_type, std::string_view body, const Limits& limits,
                    BodyResult* result);

// application/json, with ModSecurity v3 naming: top-level object members "json.<key>", nested
// "json.a.b", array elements "<array name>.array_<index>", a top-level scalar "json", empty keys
// "empty-key"; true/false as text, null as "", numbers as their literal text.
void ParseJson(std::string_view body, const Limits& limits, BodyResult* result);

// text/xml, application/xml. libxml2 with no network, no DTD loading and no entity substitution
// (no XXE, no billion laughs). Fills result->xml_text and result->xml; a parse error raises
// REQBODY_ERROR.
void ParseXml(std::string_view body, const Limits& limits, BodyResult* result);

}  // namespace gs::body
