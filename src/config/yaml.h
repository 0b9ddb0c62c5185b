// The yaml-cpp adapter: turns the bytes of a YAML config file into a config::Node tree. This is
// the only file in GovShield that includes yaml-cpp; its exceptions are caught here and become
// diagnostics with line:col.
//
// Beyond plain YAML it enforces what a config file needs: exactly one document, string map
// keys, no duplicate keys, a nesting limit (so hostile input cannot exhaust the stack), a node
// limit, and no application tags. Anchors and aliases work (aliases share the node), and so do
// YAML merge keys ("<<: *base"), which yaml-cpp itself does not expand.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "config/diagnostics.h"
#include "config/node.h"

namespace gs::config {

struct ParseLimits {
  size_t max_bytes = 4 << 20;  // larger files are refused before parsing
  int max_depth = 64;          // nested lists/mappings
  size_t max_nodes = 200'000;  // scalars + lists + mappings (aliases count once)
};

// Parses `text`. Returns the root node, or nullptr when the text has no usable document (empty,
// syntax error, over a limit); every problem found is added to `diags`. A non-null root may
// still come with diagnostics (e.g. duplicate keys), which the caller must treat as failure.
// Thread-safe (no shared state).
std::shared_ptr<const Node> ParseYaml(std::string_view text, const ParseLimits& limits,
                                      Diagnostics* diags);

}  // namespace gs::config
