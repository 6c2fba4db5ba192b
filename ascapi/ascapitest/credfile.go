package ascapitest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// WriteCredentials writes creds as dir/AuthKey_<KEYID>.p8 (mode 0600) and a complete
// dir/config.toml for StoreSyncer: workspace dir/workspace, state dir dir/state (both created,
// mode 0700), the local API on apiListen and one account "default" pointing at baseURL.
// Paths are absolute. An individual key is written as individual = true.
func WriteCredentials(dir string, creds Credentials, baseURL, apiListen string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("write credentials: %w", err)
	}
	for _, d := range []string{abs, filepath.Join(abs, "workspace"), filepath.Join(abs, "state")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("write credentials: %w", err)
		}
	}
	keyPath := filepath.Join(abs, "AuthKey_"+creds.KeyID+".p8")
	if err := os.WriteFile(keyPath, creds.PrivateKeyPEM, 0o600); err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	if err := os.Chmod(keyPath, 0o600); err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	q := strconv.Quote
	account := "issuer_id = " + q(creds.IssuerID) + "\n"
	if creds.Individual() {
		account = "individual = true\n"
	}
	config := "# Written by storesyncer simulator --write-credentials: points StoreSyncer at the simulator.\n" +
		"workspace = " + q(filepath.Join(abs, "workspace")) + "\n\n" +
		"[daemon]\nstate_dir = " + q(filepath.Join(abs, "state")) + "\n\n" +
		"[api]\nlisten = " + q(apiListen) + "\n\n" +
		"[[account]]\nname = \"default\"\n" + account +
		"key_id = " + q(creds.KeyID) + "\n" +
		"private_key_path = " + q(keyPath) + "\n" +
		"api_base_url = " + q(baseURL) + "\n"
	if err := os.WriteFile(filepath.Join(abs, "config.toml"), []byte(config), 0o600); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}

// FreeLoopbackAddr returns a loopback address with a port that was free a moment ago
// (listen on :0, close), for the config's [api] listen.
func FreeLoopbackAddr() (string, error) {
	ln, err := listenLoopback()
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr, nil
}
