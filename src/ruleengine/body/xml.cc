// text/xml and application/xml through libxml2, hardened: XML_PARSE_NONET (no network), no
// DTD loading, no entity substitution (XML_PARSE_NOENT is never set, so external entities are
// neither fetched nor expanded: no XXE) and no XML_PARSE_HUGE (libxml2's own limits stay on).
// The text content for XML:/* is collected by our own bounded walk, so a billion-laughs
// document cannot expand when read.
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <string>
#include <vector>

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

// Appends the text of root's descendants, as xmlNodeGetContent does for an element (text,
// CDATA, and the content of entity references). Iterative, with an output cap and a node-visit
// budget, so neither a deep document nor nested entities (billion laughs) can blow up time,
// memory or the stack.
void CollectText(xmlNode* root, size_t cap, size_t budget, std::string* out) {
  std::vector<xmlNode*> next;  // per level: the next sibling to visit
  next.push_back(root->children);
  while (!next.empty()) {
    xmlNode* node = next.back();
    if (node == nullptr) {
      next.pop_back();
      continue;
    }
    next.back() = node->next;
    if (budget-- == 0) return;
    switch (node->type) {
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        if (node->content != nullptr) {
          out->append(reinterpret_cast<const char*>(node->content));
          if (out->size() >= cap) {
            out->resize(cap);
            return;
          }
        }
        break;
      case XML_ELEMENT_NODE:
        next.push_back(node->children);
        break;
      case XML_ENTITY_REF_NODE:
        // libxml2 links a reference to its declaration (children == the xmlEntity).
        if (node->children != nullptr && node->children->type == XML_ENTITY_DECL) {
          next.push_back(node->children->children);
        }
        break;
      default:
        break;
    }
  }
}

}  // namespace

void ParseXml(std::string_view body, const Limits& limits, BodyResult* result) {
  if (body.size() > limits.max_body_size || body.size() > static_cast<size_t>(INT32_MAX)) {
    result->SetError("Request body is larger than the configured limit.");
    return;
  }
  // libxml2's global state must be initialised once before concurrent use; a function-local
  // static makes that thread-safe and lazy (no static initialiser at load time).
  static const bool initialised = (xmlInitParser(), true);
  (void)initialised;
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
    // Entity expansion can make the text longer than the document; ModSecurity would return it
    // all, we stop at a few times the body size (documents that need more are attacks).
    size_t cap = body.size() * 4 + 4096;
    CollectText(root, cap, cap, &result->xml_text);
  }
  result->xml = XmlDocument(doc);
}

}  // namespace gs::body
