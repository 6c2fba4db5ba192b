package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateAcceptsTheConfigsExtraLocales: a locale Apple added after this release is
// accepted once the config lists it, and only then.
func TestValidateAcceptsTheConfigsExtraLocales(t *testing.T) {
	dir := t.TempDir()
	col := filepath.Join(dir, "main")
	validateWriteFiles(t, col, map[string][]byte{"description/xx-XX.txt": []byte("Hello")})
	t.Setenv("STORESYNCER_CONFIG", filepath.Join(dir, "absent.toml"))

	exit, out, _ := runValidateCLI(t, "validate", col)
	if exit != exitValidation || !strings.Contains(out, "locale.unknown") {
		t.Fatalf("without extra_locales: exit %d, output %q; want 3 with locale.unknown", exit, out)
	}

	cfg := filepath.Join(dir, "config.toml")
	body := "workspace = \"" + dir + "\"\n[collection]\nextra_locales = [\"xx-XX\"]\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	exit, out, _ = runValidateCLI(t, "--config", cfg, "validate", col)
	if exit != exitOK {
		t.Fatalf("with extra_locales: exit %d, output %q; want 0", exit, out)
	}

	if err := os.WriteFile(cfg, []byte("[collection]\nextra_locale = [\"xx-XX\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	exit, _, errOut := runValidateCLI(t, "--config", cfg, "validate", col)
	if exit != exitUsage || !strings.Contains(errOut, "extra_locale") {
		t.Fatalf("with a bad config: exit %d, stderr %q; want 2 naming the key", exit, errOut)
	}
}
