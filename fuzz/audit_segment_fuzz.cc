// Fuzz target for the audit store's segment reader: segment headers, record frames, and the
// checkpoint/manifest entry decoders that read the same framing. Arbitrary bytes must give a
// clean DATA_LOSS or a count of good records, never a crash or an out-of-bounds read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audit/format.h"
#include "audit/verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto n = gs::audit::ScanSegmentImage(in);
  (void)n;
  // The same bytes read as a manifest or checkpoint file (frames from offset 0).
  for (auto type : {gs::audit::FrameType::kManifest, gs::audit::FrameType::kCheckpoint,
                    gs::audit::FrameType::kRecord}) {
    size_t off = 0;
    for (int i = 0; i < 1000; ++i) {
      gs::audit::FrameRead fr = gs::audit::ReadFrame(in, off, type);
      if (fr.outcome != gs::audit::FrameRead::kOk) break;
      if (type == gs::audit::FrameType::kManifest) {
        (void)gs::audit::DecodeManifestEntry(fr.payload);
      } else if (type == gs::audit::FrameType::kCheckpoint) {
        (void)gs::audit::DecodeCheckpoint(fr.payload);
      } else {
        (void)gs::audit::DecodeRecord(fr.payload);
      }
      off = fr.next_offset;
    }
  }
  // Unframed payload decoders directly.
  (void)gs::audit::DecodeManifestEntry(in);
  (void)gs::audit::DecodeCheckpoint(in);
  (void)gs::audit::DecodeRecord(in);
  (void)gs::audit::DecodeSegmentHeader(in);
  return 0;
}
