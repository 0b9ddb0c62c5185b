// Similarity sketches for the content check: a page's visible text (or its DOM paths) becomes a
// set of shingles, kept as a bottom-k MinHash sketch (the k smallest 64-bit shingle hashes), so
// a baseline is a few KiB however large the page is and two sketches estimate the Jaccard
// similarity of the underlying sets (exact when both sets have fewer than k shingles).
//
// Text tokens are CJK characters one by one and runs of other letters; digits are folded to
// "0" first, so clocks, dates, visitor counters and view counts do not change the sketch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gs::monitor {

constexpr size_t kSketchSize = 512;

// Sorted ascending, unique, at most kSketchSize hashes.
using Sketch = std::vector<uint64_t>;

// Shingles of 3 consecutive tokens of `text` (see above).
Sketch TextSketch(std::string_view text);
// One shingle per distinct (path, occurrence) pair, occurrences capped at 32.
Sketch PathSketch(const std::vector<std::string>& paths);

// Estimated Jaccard similarity in [0, 1]; two empty sketches are identical (1).
double Similarity(const Sketch& a, const Sketch& b);

}  // namespace gs::monitor
