// Classes of request/response data (internal to the WAF engine), shared by the compiler, which
// plans the phase walk with them, and the runtime, which keeps one data epoch per class.
#pragma once

#include "seclang/names.h"

namespace gs::waf {

// Variables whose values come only from the request/response data (not from rule actions), so
// per-target facts computed from them stay valid until that data changes. Each belongs to one
// class of data with its own epoch (DataClass), moved on by the calls that change that class
// only: facts about the request headers survive the request body, the response and so on.
enum DataClass : int {
  kDataLine = 0,     // request line: URI, its path and query string (ProcessUri)
  kDataArgs,         // ARGS and their names: the query string's, then the body's
  kDataHeaders,      // request headers and cookies (AddRequestHeader)
  kDataBody,         // request body, files, XML, multipart part headers (the body processor)
  kDataRespHeaders,  // response headers (AddResponseHeader)
  kDataRespBody,     // response body (ProcessResponseBody)
  kDataClasses
};
inline int DataClassOf(seclang::VariableId id) {
  using seclang::VariableId;
  switch (id) {
    case VariableId::kRequestUri:
    case VariableId::kRequestUriRaw:
    case VariableId::kRequestFilename:
    case VariableId::kRequestBasename:
    case VariableId::kQueryString:
    case VariableId::kRequestLine:
    case VariableId::kPathInfo:
      return kDataLine;
    case VariableId::kArgs:
    case VariableId::kArgsGet:
    case VariableId::kArgsPost:
    case VariableId::kArgsNames:
    case VariableId::kArgsGetNames:
    case VariableId::kArgsPostNames:
      return kDataArgs;
    case VariableId::kRequestHeaders:
    case VariableId::kRequestHeadersNames:
    case VariableId::kRequestCookies:
    case VariableId::kRequestCookiesNames:
      return kDataHeaders;
    case VariableId::kFiles:
    case VariableId::kFilesNames:
    case VariableId::kRequestBody:
    case VariableId::kXml:
    case VariableId::kMultipartPartHeaders:
      return kDataBody;
    case VariableId::kResponseHeaders:
    case VariableId::kResponseHeadersNames:
      return kDataRespHeaders;
    case VariableId::kResponseBody:
      return kDataRespBody;
    default:
      return -1;
  }
}
inline bool IsRequestData(seclang::VariableId id) { return DataClassOf(id) >= 0; }

}  // namespace gs::waf
