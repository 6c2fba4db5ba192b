# Homebrew formula for StoreSyncer, rendered by `go run ./packaging/cmd/release` from
# packaging/release.toml; do not edit the rendered file.
class Storesyncer < Formula
  desc "Keep an app's App Store product page in step with a folder on disk"
  homepage "https://github.com/storesyncer/storesyncer"
  version "1.2.3"

  on_macos do
    on_arm do
      url "https://github.com/storesyncer/storesyncer/releases/download/v1.2.3/storesyncer_1.2.3_darwin_arm64.tar.gz"
      sha256 "1a86efa704f17eb94430b0fde139601fa488f634d94f418fb85e025d4c74be76"
    end
    on_intel do
      url "https://github.com/storesyncer/storesyncer/releases/download/v1.2.3/storesyncer_1.2.3_darwin_amd64.tar.gz"
      sha256 "e76672cbc2b1719ef3b27338eaa4a348679ebb882dca6e86775cfcd27d0a3993"
    end
  end

  on_linux do
    on_arm do
      url "https://github.com/storesyncer/storesyncer/releases/download/v1.2.3/storesyncer_1.2.3_linux_arm64.tar.gz"
      sha256 "88ab93cf1421c7f9eda213a00fa6b5d23e8d84bf46291763347769744dee771c"
    end
    on_intel do
      url "https://github.com/storesyncer/storesyncer/releases/download/v1.2.3/storesyncer_1.2.3_linux_amd64.tar.gz"
      sha256 "a1a6a0b73db113b8df0dc4b02772e9b8483b59b3fa11b86c2b6970d99d5df8e7"
    end
  end

  def install
    bin.install "storesyncer"
    man1.install Dir["man/*.1"]
    bash_completion.install "completions/storesyncer.bash" => "storesyncer"
    zsh_completion.install "completions/_storesyncer"
    fish_completion.install "completions/storesyncer.fish"
    pkgshare.install "config.example.toml", "monitoring"
  end

  def caveats
    <<~EOS
      Write a config and the folders, then check them:
        storesyncer init && storesyncer doctor
      Run it at log-in with `brew services start storesyncer`, or with StoreSyncer's own
      LaunchAgent: storesyncer service install --executable #{opt_bin}/storesyncer
    EOS
  end

  # launchd: started at log-in, restarted after a failure or a crash (not after a clean
  # stop), like the LaunchAgent `storesyncer service install` writes.
  service do
    run [opt_bin/"storesyncer", "run"]
    keep_alive successful_exit: false
    process_type :background
    log_path var/"log/storesyncer.log"
    error_log_path var/"log/storesyncer.log"
  end

  test do
    assert_match "storesyncer #{version}", shell_output("#{bin}/storesyncer version")
    system bin/"storesyncer", "template", "-o", testpath/"new.zip"
    assert_path_exists testpath/"new.zip"
  end
end
