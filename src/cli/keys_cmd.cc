// `govshield keys gen --out DIR`: an SM2 key pair for signing audit checkpoints and baselines.
#include <cstdio>

#include "cli/cli.h"
#include "cli/keys.h"
#include "crypto/crypto.h"
#include "platform/file.h"

namespace gs::cli {

Status WriteSm2KeyPair(const std::string& out_dir, bool force) {
  std::string priv_path = platform::JoinPath(out_dir, "sm2-private.pem");
  std::string pub_path = platform::JoinPath(out_dir, "sm2-public.pem");
  if (!force && (platform::PathExists(priv_path) || platform::PathExists(pub_path))) {
    return AlreadyExistsError(priv_path +
                              " already exists; refusing to overwrite a key (use --force)");
  }
  GS_RETURN_IF_ERROR(platform::MakeDirs(out_dir, 0700));
  GS_ASSIGN_OR_RETURN(auto key, crypto::Sm2PrivateKey::Generate());
  GS_ASSIGN_OR_RETURN(std::string priv_pem, key.ToPem());
  GS_ASSIGN_OR_RETURN(std::string pub_pem, key.PublicKey().ToPem());
  GS_RETURN_IF_ERROR(platform::WriteFileAtomic(priv_path, priv_pem, 0600));
  GS_RETURN_IF_ERROR(platform::WriteFileAtomic(pub_path, pub_pem, 0644));
  std::printf("wrote %s (mode 0600)\nwrote %s\nfingerprint (SM3 of public point): %s\n",
              priv_path.c_str(), pub_path.c_str(), key.PublicKey().Fingerprint().c_str());
  return Status::Ok();
}

namespace {

struct KeysGenOptions {
  std::string out_dir;
  bool force = false;
};

}  // namespace

void RegisterKeys(CLI::App& app) {
  auto* keys = app.add_subcommand("keys", "Manage SM2 signing keys");
  keys->require_subcommand(1);
  auto opts = std::make_shared<KeysGenOptions>();
  auto* gen = keys->add_subcommand(
      "gen", "Generate an SM2 key pair: DIR/sm2-private.pem (0600) and DIR/sm2-public.pem");
  gen->add_option("--out", opts->out_dir, "Directory to write the key files into")->required();
  gen->add_flag("--force", opts->force, "Overwrite existing key files");
  gen->callback(Action([opts] { return WriteSm2KeyPair(opts->out_dir, opts->force); }));
}

}  // namespace gs::cli
