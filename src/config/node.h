// The parsed form of a config file: a small immutable tree of null / scalar / list / mapping
// nodes, each carrying its position. It is what yaml.h produces and what reader.h binds into
// typed structs, so that no module above sees yaml-cpp (or its exceptions).
//
// Aliases (*name) share the anchored node rather than copying it, so the tree is a DAG; code
// that walks it must budget its work (reader.h does) instead of assuming size ~ file size.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"

namespace gs::config {

struct Node {
  enum class Kind { kNull, kScalar, kSequence, kMapping };

  struct Entry {
    std::string key;
    Mark key_mark;
    std::shared_ptr<const Node> value;  // never null
  };

  Kind kind = Kind::kNull;
  Mark mark;
  std::string scalar;   // kScalar only: the text, after YAML unescaping
  bool quoted = false;  // kScalar only: quoted or tagged !!str, so never a number/bool
  std::vector<std::shared_ptr<const Node>> items;  // kSequence
  std::vector<Entry> entries;                      // kMapping, in file order, keys unique

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_sequence() const { return kind == Kind::kSequence; }
  bool is_mapping() const { return kind == Kind::kMapping; }

  // The entry for `key` in a mapping, or nullptr.
  const Entry* Find(std::string_view key) const {
    for (const Entry& e : entries) {
      if (e.key == key) return &e;
    }
    return nullptr;
  }

  // "a mapping", "a list", "nothing (null)", or the scalar quoted, for "expected X, got Y".
  std::string Describe() const;
};

}  // namespace gs::config
