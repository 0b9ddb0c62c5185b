// text/xml and application/xml through libxml2, hardened: XML_PARSE_NONET (no network), no
// DTD loading, no entity substitution (XML_PARSE_NOENT is never set, so external entities are
// neither fetched nor expanded: no XXE) and no XML_PARSE_HUGE (libxml2's own limits stay on).
// The text content for XML:/* is collected by our own walk that does not descend into entity
// references, so a billion-laughs document cannot expand when read.
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <string>

#include "ruleengine/body/body.h"

namespace gs::body {

XmlDocument& XmlDocument::operator=(XmlDocument&& o) noexcept {
  if (this != &o) {
    if (doc_ != nullptr) xmlFreeDoc(doc_);
    doc_ = o.doc_;
    o.doc_ = nullptr;
  }
  return *this;
}

XmlDocument::~XmlDocument() {
  if (doc_ != nullptr) xmlFreeDoc(doc_);
}

namespace {

// Appends the text of node and its descendants (what xmlNodeGetContent returns for an element,
// minus entity expansion). Iterative: a deep document cannot exhaust the stack.
void CollectText(xmlNode* root, size_t cap, std::string* out) {
  xmlNode* node = root->children;
  while (node != nullptr) {
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      if (node->content != nullptr) {
        out->append(reinterpret_cast<const char*>(node->content));
        if (out->size() > cap) {
          out->resize(cap);
          return;
        }
      }
    }
    if (node->type == XML_ELEMENT_NODE && node->children != nullptr) {
      node = node->children;
      continue;
    }
    while (node != nullptr && node->next == nullptr) {
      node = node->parent;
      if (node == root) return;
    }
    if (node != nullptr) node = node->next;
  }
}

}  // namespace

void ParseXml(std::string_view body, const Limits& limits, BodyResult* result) {
  if (body.size() > limits.max_body_size || body.size() > static_cast<size_t>(INT32_MAX)) {
    result->SetError("Request body is larger than the configured limit.");
    return;
  }
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (ctxt == nullptr) {
    result->SetError("XML parsing error: XML: Failed to create parser context.");
    return;
  }
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  xmlDocPtr doc = xmlCtxtReadMemory(ctxt, body.data(), static_cast<int>(body.size()), nullptr,
                                    nullptr, options);
  bool well_formed = ctxt->wellFormed != 0;
  xmlFreeParserCtxt(ctxt);
  if (doc == nullptr || !well_formed) {
    if (doc != nullptr) xmlFreeDoc(doc);
    result->SetError("XML parsing error: XML: Failed parsing document.");
    return;
  }
  xmlNode* root = xmlDocGetRootElement(doc);
  if (root != nullptr) {
    // The text of a document is bounded by its size; entity references are not expanded.
    CollectText(root, body.size(), &result->xml_text);
  }
  result->xml = XmlDocument(doc);
}

}  // namespace gs::body
