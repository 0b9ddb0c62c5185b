// yaml-cpp adapter (see yaml.h). Uses yaml-cpp's event parser rather than YAML::Load so that
// it sees every key's position, can refuse duplicate keys (YAML::Load keeps them silently),
// can stop at our own nesting limit long before yaml-cpp's recursion gets deep, and can share
// aliased nodes instead of copying them.
#include "config/yaml.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <new>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace gs::config {
namespace {

constexpr std::string_view kYamlTagPrefix = "tag:yaml.org,2002:";

Mark ToMark(const YAML::Mark& m) {
  if (m.line < 0 || m.column < 0) return Mark{};
  return Mark{m.line + 1, m.column + 1};
}

// Thrown by the handler to abandon the parse; caught in ParseYaml only.
struct StopParse {
  Mark mark;
  std::string message;
  std::string hint;
};

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(const ParseLimits& limits, Diagnostics* diags) : limits_(limits), diags_(diags) {}

  std::shared_ptr<const Node> root() const { return root_; }
  bool in_document() const { return documents_ > 0; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      throw StopParse{ToMark(mark), "a second YAML document starts here",
                      "a config file holds exactly one document; remove the extra '---'"};
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto n = NewNode(Node::Kind::kNull, mark);
    Finish(std::move(n), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Count(mark);
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      // yaml-cpp knows the name, so the anchor exists but its node is still open: the alias is
      // inside the node it refers to. Sharing it would create a cycle.
      throw StopParse{ToMark(mark), "alias refers to a node that contains it",
                      "recursive aliases are not allowed"};
    }
    Attach(it->second, ToMark(mark));
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    auto n = NewNode(Node::Kind::kScalar, mark);
    n->scalar = value;
    if (tag == "!" || tag == std::string(kYamlTagPrefix) + "str") {
      n->quoted = true;
    } else if (tag != "?" && !IsCoreTag(tag)) {
      diags_->Add(ToMark(mark), "unsupported YAML tag '" + tag + "'",
                  "config files use plain values; remove the tag");
    }
    Finish(std::move(n), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(Node::Kind::kSequence, mark, tag, anchor);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(Node::Kind::kMapping, mark, tag, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    std::shared_ptr<Node> node;
    YAML::anchor_t anchor = 0;
    // Mappings alternate key, value. A key that is not a scalar is reported and its pair is
    // dropped (key_ok = false) so the rest of the file still gets checked.
    bool expect_key = true;
    bool key_ok = false;
    std::string key;
    Mark key_mark;
    std::unordered_map<std::string, Mark> seen;  // key -> first position
  };

  static bool IsCoreTag(const std::string& tag) {
    if (tag.compare(0, kYamlTagPrefix.size(), kYamlTagPrefix) != 0) return false;
    std::string_view rest = std::string_view(tag).substr(kYamlTagPrefix.size());
    return rest == "int" || rest == "bool" || rest == "float" || rest == "null" || rest == "map" ||
           rest == "seq";
  }

  void Count(const YAML::Mark& mark) {
    if (++nodes_ > limits_.max_nodes) {
      throw StopParse{ToMark(mark),
                      "more than " + std::to_string(limits_.max_nodes) + " values in one file",
                      "split the configuration or remove repetition"};
    }
  }

  std::shared_ptr<Node> NewNode(Node::Kind kind, const YAML::Mark& mark) {
    Count(mark);
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->mark = ToMark(mark);
    return n;
  }

  void Open(Node::Kind kind, const YAML::Mark& mark, const std::string& tag,
            YAML::anchor_t anchor) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      throw StopParse{ToMark(mark),
                      "nesting deeper than " + std::to_string(limits_.max_depth) + " levels",
                      "config files are never this deep; is the file generated wrongly?"};
    }
    if (tag != "?" && !IsCoreTag(tag)) {
      diags_->Add(ToMark(mark), "unsupported YAML tag '" + tag + "'", "remove the tag");
    }
    Frame f;
    f.node = NewNode(kind, mark);
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }

  void Close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.node->kind == Node::Kind::kMapping) ExpandMergeKey(*f.node);
    Finish(std::move(f.node), f.anchor);
  }

  // YAML merge keys ("<<: *base" or "<<: [*a, *b]"): the merged mappings' entries are added
  // where the mapping does not set the key itself; earlier sources win over later ones. The
  // sources were closed first, so their own merges are already flattened. Entries share the
  // source's nodes and keep their positions, so an error in a merged value points at it.
  void ExpandMergeKey(Node& m) {
    auto it = std::find_if(m.entries.begin(), m.entries.end(),
                           [](const Node::Entry& e) { return e.key == "<<"; });
    if (it == m.entries.end()) return;
    Node::Entry merge = std::move(*it);
    m.entries.erase(it);
    std::vector<const Node*> sources;
    if (merge.value->is_mapping()) {
      sources.push_back(merge.value.get());
    } else if (merge.value->is_sequence()) {
      for (const auto& item : merge.value->items) sources.push_back(item.get());
    }
    bool all_mappings = !sources.empty();
    for (const Node* src : sources) all_mappings = all_mappings && src->is_mapping();
    if (!all_mappings) {
      diags_->Add(merge.value->mark, "merge key '<<' needs a mapping or a list of mappings, got " +
                                         merge.value->Describe());
      return;
    }
    std::unordered_set<std::string> present;
    for (const Node::Entry& e : m.entries) present.insert(e.key);
    std::vector<Node::Entry> added;
    for (const Node* src : sources) {
      for (const Node::Entry& e : src->entries) {
        if (present.count(e.key) != 0) continue;
        Count(YAML::Mark::null_mark());
        added.push_back(e);
        present.insert(e.key);
      }
    }
    for (Node::Entry& e : added) m.entries.push_back(std::move(e));
  }

  void Finish(std::shared_ptr<Node> node, YAML::anchor_t anchor) {
    Mark mark = node->mark;
    std::shared_ptr<const Node> done = std::move(node);
    if (anchor != 0) anchors_[anchor] = done;
    Attach(std::move(done), mark);
  }

  void Attach(std::shared_ptr<const Node> node, Mark mark) {
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& f = stack_.back();
    Node& parent = *f.node;
    if (parent.kind == Node::Kind::kSequence) {
      parent.items.push_back(std::move(node));
      return;
    }
    if (f.expect_key) {
      f.expect_key = false;
      f.key_mark = mark;
      f.key_ok = node->kind == Node::Kind::kScalar;
      if (!f.key_ok) {
        diags_->Add(mark, "mapping key is " + node->Describe() + ", not a name",
                    "keys must be plain names such as 'retention_days'");
        return;
      }
      f.key = node->scalar;
      auto [it, inserted] = f.seen.emplace(f.key, mark);
      if (!inserted) {
        diags_->Add(mark, "duplicate key '" + f.key + "'",
                    "first defined at line " + std::to_string(it->second.line) +
                        "; YAML keeps only one of them, so remove the other");
        f.key_ok = false;
      }
      return;
    }
    f.expect_key = true;
    if (!f.key_ok) return;
    // For "key:" with nothing after it yaml-cpp places the null at the next token; the key's
    // own position is what a person wants to see.
    if (node->kind == Node::Kind::kNull && node->mark.line != f.key_mark.line &&
        node.use_count() == 1) {
      auto moved = std::make_shared<Node>(*node);
      moved->mark = f.key_mark;
      node = std::move(moved);
    }
    parent.entries.push_back(Node::Entry{std::move(f.key), f.key_mark, std::move(node)});
  }

  const ParseLimits& limits_;
  Diagnostics* diags_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, std::shared_ptr<const Node>> anchors_;
  std::shared_ptr<const Node> root_;
  size_t nodes_ = 0;
  int documents_ = 0;
};

std::string FormatLimit(size_t bytes) {
  if (bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + "MiB";
  if (bytes % (1 << 10) == 0) return std::to_string(bytes >> 10) + "KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

std::shared_ptr<const Node> ParseYaml(std::string_view text, const ParseLimits& limits,
                                      Diagnostics* diags) {
  if (text.size() > limits.max_bytes) {
    diags->Add(Mark{},
               "file is " + std::to_string(text.size()) + " bytes, over the " +
                   FormatLimit(limits.max_bytes) + " limit for config files",
               "is this really a config file?");
    return nullptr;
  }
  TreeBuilder builder(limits, diags);
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder)) {
      diags->Add(Mark{}, "the file holds no YAML document (it is empty or only comments)");
      return nullptr;
    }
    parser.HandleNextDocument(builder);  // must find nothing: OnDocumentStart throws if it does
  } catch (const StopParse& stop) {
    diags->Add(stop.mark, stop.message, stop.hint);
    return nullptr;
  } catch (const YAML::Exception& e) {
    diags->Add(ToMark(e.mark), "YAML syntax error: " + e.msg);
    return nullptr;
  } catch (const std::bad_alloc&) {
    diags->Add(Mark{}, "out of memory while parsing");
    return nullptr;
  } catch (const std::exception& e) {
    diags->Add(Mark{}, std::string("YAML parser failed: ") + e.what());
    return nullptr;
  }
  return builder.root();
}

}  // namespace gs::config
