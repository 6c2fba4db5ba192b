package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// login is what `storesyncer login` keeps for a team member's CLI: the daemon's URL and the
// member's personal API token, in a 0600 file of the user's config dir.
type login struct {
	URL   string `json:"url"`
	Token string `json:"token"`
	App   string `json:"app"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	// Fingerprint pins the daemon's self-signed TLS certificate; "" trusts the system's CAs.
	Fingerprint string `json:"tls_fingerprint,omitempty"`
}

// loginPath is $STORESYNCER_LOGIN, else the OS config dir's storesyncer/login.json.
func loginPath() (string, error) {
	if p := os.Getenv("STORESYNCER_LOGIN"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", usageError("usage", "", "no OS config dir (%v): set STORESYNCER_LOGIN", err)
	}
	return filepath.Join(dir, "storesyncer", "login.json"), nil
}

func newLoginCmd(g *globals) *cobra.Command {
	var name, fingerprint string
	cmd := &cobra.Command{
		Use:   "login URL --name NAME [--fingerprint SHA256]",
		Short: "Join an app's team with an invitation URL and keep the token for the CLI",
		Long: `login opens an invitation (storesyncer members invite prints it): you become a member of
the app under the display name NAME, and your personal API token is kept in the OS config
dir's storesyncer/login.json (mode 0600, or $STORESYNCER_LOGIN). On a machine without a
storesyncer config, the commands then ask that daemon, with your role.`,
		Example: "  storesyncer login 'https://mac.example:7420/invite/…' --name Dana",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			base, code, err := parseInvitationURL(args[0])
			if err != nil {
				return err
			}
			if strings.TrimSpace(name) == "" {
				return usageError("usage", "", "--name is required: the display name the team sees")
			}
			c, err := statusapi.NewClient(statusapi.ClientConfig{BaseURL: base, Token: "-", Fingerprint: fingerprint})
			if err != nil {
				return usageError("usage", "", "%v", err)
			}
			res, err := c.Accept(cmd.Context(), code, name)
			if err != nil {
				var ae *statusapi.Error
				if errors.As(err, &ae) {
					return failure("login."+ae.Code, "", errors.New(ae.Message))
				}
				return failure("login", "", fmt.Errorf("open the invitation at %s: %w", base, err))
			}
			path, err := loginPath()
			if err != nil {
				return err
			}
			if err := saveLogin(path, login{URL: base, Token: res.Token, App: res.App, Name: res.Name, Role: res.Role, Fingerprint: fingerprint}); err != nil {
				return failure("login", path, err)
			}
			fmt.Fprintf(g.stdout, "you are %s, %s of %s; your token is in %s\n", res.Name, res.Role, res.App, path)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the display name the team sees")
	cmd.Flags().StringVar(&fingerprint, "fingerprint", "", "the daemon's TLS certificate SHA-256, as the invitation shows it (for a self-signed certificate)")
	return cmd
}

// parseInvitationURL splits ".../invite/CODE" into the daemon's base URL and the code. The
// code never reaches an error message.
func parseInvitationURL(raw string) (base, code string, err error) {
	u, perr := url.Parse(strings.TrimSpace(raw))
	prefix, c, ok := "", "", false
	if perr == nil {
		prefix, c, ok = strings.Cut(u.Path, "/invite/")
	}
	if perr != nil || !ok || prefix != "" || c == "" || strings.Contains(c, "/") || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", usageError("usage", "", "not an invitation URL: want http(s)://HOST:PORT/invite/CODE, as storesyncer members invite prints it")
	}
	return u.Scheme + "://" + u.Host, c, nil
}

// saveLogin writes l to path, 0600, atomically.
func saveLogin(path string, l login) error {
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return workspace.WriteFileAtomic(path, append(b, '\n'), 0o600)
}

// loginConn returns a connection to the daemon of the saved login when there is one and the
// config file is absent (a team member's machine); nil otherwise.
func loginConn(g *globals) (*daemonConn, error) {
	cfgPath, err := configFilePath(g)
	if err != nil {
		return nil, nil
	}
	if _, err := os.Stat(cfgPath); !errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	path, err := loginPath()
	if err != nil {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, failure("login", path, err)
	}
	var l login
	if err := json.Unmarshal(b, &l); err != nil || l.URL == "" || l.Token == "" {
		return nil, usageError("login.invalid", path, "not a login file: run storesyncer login URL again")
	}
	c, err := statusapi.NewClient(statusapi.ClientConfig{BaseURL: l.URL, Token: l.Token, Fingerprint: l.Fingerprint})
	if err != nil {
		return nil, usageError("login.invalid", path, "%v", err)
	}
	if g.app == "" {
		g.app = l.App
	}
	return &daemonConn{client: c, stateDir: l.URL, listen: l.URL, tokenFile: path}, nil
}
