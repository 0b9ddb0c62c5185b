// Tests of the yaml-cpp adapter: tree shape, positions, and every way a file can be refused.
#include "config/yaml.h"

#include <gtest/gtest.h>

#include <string>

namespace gs::config {
namespace {

struct Parsed {
  std::shared_ptr<const Node> root;
  std::vector<Diagnostic> errors;
  size_t total = 0;
};

Parsed Parse(std::string_view text, ParseLimits limits = {}) {
  Diagnostics d("t.yaml");
  Parsed p;
  p.root = ParseYaml(text, limits, &d);
  p.errors = d.kept();
  p.total = d.total();
  return p;
}

TEST(YamlTest, BuildsTreeWithPositions) {
  Parsed p = Parse("a: 1\nb:\n  - x\n  - 'y'\nc: {d: ~}\n");
  ASSERT_NE(p.root, nullptr);
  EXPECT_EQ(p.total, 0u);
  const Node& r = *p.root;
  ASSERT_TRUE(r.is_mapping());
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_EQ(r.entries[0].key, "a");
  EXPECT_EQ(r.entries[0].value->scalar, "1");
  EXPECT_EQ(r.entries[0].value->mark.line, 1);
  EXPECT_EQ(r.entries[0].value->mark.column, 4);
  const Node& b = *r.Find("b")->value;
  ASSERT_TRUE(b.is_sequence());
  ASSERT_EQ(b.items.size(), 2u);
  EXPECT_FALSE(b.items[0]->quoted);
  EXPECT_TRUE(b.items[1]->quoted);
  EXPECT_EQ(b.items[1]->mark.line, 4);
  EXPECT_EQ(b.items[1]->mark.column, 5);
  EXPECT_EQ(r.Find("c")->key_mark.line, 5);
  EXPECT_TRUE(r.Find("c")->value->Find("d")->value->is_null());
}

TEST(YamlTest, NullValueIsPlacedAtItsKey) {
  Parsed p = Parse("a:\nb: 2\n");
  ASSERT_NE(p.root, nullptr);
  const Node& a = *p.root->Find("a")->value;
  EXPECT_TRUE(a.is_null());
  EXPECT_EQ(a.mark.line, 1);
}

TEST(YamlTest, SyntaxErrorHasLineAndColumn) {
  Parsed p = Parse("a: 1\nb: [1, 2\nc: 3\n");
  EXPECT_EQ(p.root, nullptr);
  ASSERT_EQ(p.total, 1u);
  EXPECT_GE(p.errors[0].mark.line, 2);

  Parsed q = Parse("a: 1\n b: 2\n");
  EXPECT_EQ(q.root, nullptr);
  ASSERT_EQ(q.total, 1u);
  EXPECT_EQ(q.errors[0].mark.line, 2);
  EXPECT_EQ(q.errors[0].mark.column, 3);
}

TEST(YamlTest, EmptyAndCommentOnlyFilesAreReported) {
  for (const char* text : {"", "\n\n", "# only a comment\n"}) {
    Parsed p = Parse(text);
    EXPECT_EQ(p.root, nullptr) << text;
    ASSERT_EQ(p.total, 1u) << text;
    EXPECT_EQ(p.errors[0].mark.line, 0) << text;  // whole-file problem
  }
}

TEST(YamlTest, DuplicateKeysAreErrorsAtTheSecondOne) {
  Parsed p = Parse("a: 1\nb: 2\na: 3\nm:\n  x: 1\n  x: 2\n");
  ASSERT_NE(p.root, nullptr);
  ASSERT_EQ(p.total, 2u);
  EXPECT_EQ(p.errors[0].mark.line, 3);
  EXPECT_EQ(p.errors[0].mark.column, 1);
  EXPECT_EQ(p.errors[1].mark.line, 6);
  EXPECT_EQ(p.errors[1].mark.column, 3);
  // Only the first definition is kept.
  EXPECT_EQ(p.root->Find("a")->value->scalar, "1");
  EXPECT_EQ(p.root->entries.size(), 3u);
}

TEST(YamlTest, AnchorsAndAliasesShareNodes) {
  Parsed p = Parse("base: &b {x: 1, y: [2, 3]}\ncopy: *b\nlist: [*b, *b]\n");
  ASSERT_NE(p.root, nullptr);
  EXPECT_EQ(p.total, 0u);
  EXPECT_EQ(p.root->Find("base")->value.get(), p.root->Find("copy")->value.get());
  EXPECT_EQ(p.root->Find("list")->value->items[1].get(), p.root->Find("base")->value.get());
}

TEST(YamlTest, MergeKeysAddMissingEntries) {
  Parsed p = Parse(R"(a: &a {x: 1, y: 2}
b: &b {y: 3, z: 4}
one:
  <<: *a
  x: 10
many:
  <<: [*a, *b]
  w: 0
nested:
  <<: {<<: *b, v: 5}
)");
  ASSERT_NE(p.root, nullptr);
  EXPECT_EQ(p.total, 0u);
  const Node& one = *p.root->Find("one")->value;
  EXPECT_EQ(one.entries.size(), 2u);
  EXPECT_EQ(one.Find("x")->value->scalar, "10");  // explicit keys win
  EXPECT_EQ(one.Find("y")->value->scalar, "2");
  EXPECT_EQ(one.Find("y")->key_mark.line, 1);  // merged entries keep their own position
  EXPECT_EQ(one.Find("<<"), nullptr);
  const Node& many = *p.root->Find("many")->value;
  EXPECT_EQ(many.entries.size(), 4u);
  EXPECT_EQ(many.Find("y")->value->scalar, "2");  // the first source wins
  EXPECT_EQ(many.Find("z")->value->scalar, "4");
  const Node& nested = *p.root->Find("nested")->value;
  EXPECT_EQ(nested.entries.size(), 3u);

  Parsed bad = Parse("a:\n  <<: [1, 2]\n  b: 1\n");
  ASSERT_EQ(bad.total, 1u);
  EXPECT_EQ(bad.errors[0].mark.line, 2);
}

TEST(YamlTest, UndefinedAliasIsAnError) {
  Parsed p = Parse("a: *nope\n");
  EXPECT_EQ(p.root, nullptr);
  ASSERT_EQ(p.total, 1u);
  EXPECT_EQ(p.errors[0].mark.line, 1);
  EXPECT_EQ(p.errors[0].mark.column, 4);
}

TEST(YamlTest, DeepNestingIsBoundedNotACrash) {
  for (int depth : {100, 10'000, 200'000}) {
    std::string flow = std::string(depth, '[') + std::string(depth, ']');
    Parsed p = Parse(flow);
    EXPECT_EQ(p.root, nullptr);
    ASSERT_EQ(p.total, 1u);
    EXPECT_EQ(p.errors[0].mark.line, 1);
    EXPECT_EQ(p.errors[0].mark.column, 65);  // the 65th '[' is one level too many
  }
  std::string block;
  for (int i = 0; i < 100; ++i) block += std::string(i * 2, ' ') + "k:\n";
  Parsed p = Parse(block);
  EXPECT_EQ(p.root, nullptr);
  ASSERT_EQ(p.total, 1u);
  EXPECT_GT(p.errors[0].mark.line, 60);

  std::string ok = std::string(64, '[') + std::string(64, ']');
  EXPECT_NE(Parse(ok).root, nullptr);
}

TEST(YamlTest, SizeAndNodeLimits) {
  ParseLimits small;
  small.max_bytes = 100;
  Parsed p = Parse(std::string(101, '#'), small);
  EXPECT_EQ(p.root, nullptr);
  ASSERT_EQ(p.total, 1u);
  EXPECT_EQ(p.errors[0].mark.line, 0);

  ParseLimits few;
  few.max_nodes = 50;
  std::string many = "[";
  for (int i = 0; i < 100; ++i) many += "1,";
  many += "1]";
  Parsed q = Parse(many, few);
  EXPECT_EQ(q.root, nullptr);
  EXPECT_EQ(q.total, 1u);
}

TEST(YamlTest, SecondDocumentIsRefused) {
  Parsed p = Parse("a: 1\n---\nb: 2\n");
  EXPECT_EQ(p.root, nullptr);
  ASSERT_EQ(p.total, 1u);
  EXPECT_EQ(p.errors[0].mark.line, 2);
}

TEST(YamlTest, NonScalarKeysAndCustomTagsAreReported) {
  Parsed p = Parse("? [1, 2]\n: x\nok: 1\nt: !custom 5\n");
  ASSERT_NE(p.root, nullptr);
  ASSERT_EQ(p.total, 2u);
  EXPECT_EQ(p.errors[0].mark.line, 1);
  EXPECT_EQ(p.errors[1].mark.line, 4);
  EXPECT_EQ(p.root->entries.size(), 2u);  // the pair with the bad key is dropped
}

TEST(YamlTest, StrTagMakesAScalarQuoted) {
  Parsed p = Parse("a: !!str 5\nb: 5\n");
  ASSERT_NE(p.root, nullptr);
  EXPECT_EQ(p.total, 0u);
  EXPECT_TRUE(p.root->Find("a")->value->quoted);
  EXPECT_FALSE(p.root->Find("b")->value->quoted);
}

TEST(YamlTest, BinaryGarbageDoesNotCrash) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919) & 0xff);
  Parsed p = Parse(junk);
  // Either it parsed to something or it said why; never a null root without a reason.
  EXPECT_TRUE(p.root != nullptr || p.total > 0);
  Parsed q = Parse(std::string("a: \0b\n", 6));
  EXPECT_TRUE(q.root != nullptr || q.total > 0);
}

}  // namespace
}  // namespace gs::config
