package config

import (
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// apply copies the file's values over the defaults in cfg, checking each one. It returns
// the first problem.
func (p *parser) apply(f *fileConfig, cfg *Config) error {
	if f.Workspace != nil {
		if strings.TrimSpace(*f.Workspace) == "" {
			return p.errAt("workspace", -1, "must not be empty (expected a folder, e.g. \"~/StoreSyncer\")")
		}
		cfg.Workspace = resolvePath(*f.Workspace, p.base, p.home)
	}
	if err := p.applyDaemon(f.Daemon, cfg); err != nil {
		return err
	}
	if err := p.applyAPI(f.API, cfg); err != nil {
		return err
	}
	if err := p.applyWatch(f.Watch, &cfg.Watch); err != nil {
		return err
	}
	if err := p.applySync(f.Sync, &cfg.Sync); err != nil {
		return err
	}
	if err := p.applyCollection(f.Collection, &cfg.Collection); err != nil {
		return err
	}
	return p.applyAccounts(f.Accounts, cfg)
}

var logLevels = []string{"debug", "info", "warn", "error"}

func (p *parser) applyDaemon(f fileDaemon, cfg *Config) error {
	if f.StateDir != nil {
		if strings.TrimSpace(*f.StateDir) == "" {
			return p.errAt("daemon.state_dir", -1, "must not be empty (expected a folder on a local disk)")
		}
		cfg.Daemon.StateDir = resolvePath(*f.StateDir, p.base, p.home)
		cfg.API.TokenFile = joinPath(cfg.Daemon.StateDir, TokenFileName)
	}
	if f.LogLevel != nil {
		if !contains(logLevels, *f.LogLevel) {
			return p.errAt("daemon.log_level", -1, "unknown level %q (expected one of %s)", *f.LogLevel, strings.Join(logLevels, ", "))
		}
		cfg.Daemon.LogLevel = *f.LogLevel
	}
	if f.LogFormat != nil {
		switch *f.LogFormat {
		case "auto", "":
			cfg.Daemon.LogFormat = ""
		case "text", "json":
			cfg.Daemon.LogFormat = *f.LogFormat
		default:
			return p.errAt("daemon.log_format", -1, "unknown format %q (expected auto, text or json)", *f.LogFormat)
		}
	}
	return nil
}

func (p *parser) applyAPI(f fileAPI, cfg *Config) error {
	if (f.TLSCert == nil) != (f.TLSKey == nil) {
		return p.errAt("api.tls_cert", -1, "tls_cert and tls_key go together: give both, or neither (tls_generate = true makes a pair)")
	}
	if f.TLSCert != nil {
		if strings.TrimSpace(*f.TLSCert) == "" || strings.TrimSpace(*f.TLSKey) == "" {
			return p.errAt("api.tls_cert", -1, "must not be empty")
		}
		cfg.API.TLSCert, cfg.API.TLSKey = resolvePath(*f.TLSCert, p.base, p.home), resolvePath(*f.TLSKey, p.base, p.home)
	}
	if f.TLSGenerate != nil {
		cfg.API.TLSGenerate = *f.TLSGenerate
	}
	for i, n := range f.PublicNames {
		if n = strings.TrimSpace(n); n == "" || strings.ContainsAny(n, "/:@ ") && net.ParseIP(n) == nil {
			return p.errAt("api.public_names", -1, "%q is not a host name or address", f.PublicNames[i])
		}
		cfg.API.PublicNames = append(cfg.API.PublicNames, strings.TrimSpace(n))
	}
	if f.Listen != nil {
		// Off loopback only with TLS: checkLoopbackAddr's complaint about the host is then moot.
		if err := checkLoopbackAddr(*f.Listen); err != "" && !(strings.HasPrefix(err, "host ") && cfg.API.TLS()) {
			if strings.HasPrefix(err, "host ") {
				err += " without TLS: set [api] tls_cert and tls_key, or tls_generate = true, to reach the API from other machines"
			}
			return p.errAt("api.listen", -1, "%s", err)
		}
		cfg.API.Listen = *f.Listen
	}
	if f.TokenFile != nil {
		if strings.TrimSpace(*f.TokenFile) == "" {
			return p.errAt("api.token_file", -1, "must not be empty (leave it out for <state_dir>/%s)", TokenFileName)
		}
		cfg.API.TokenFile = resolvePath(*f.TokenFile, p.base, p.home)
	}
	if f.MetricsAuth != nil {
		cfg.API.MetricsAuth = *f.MetricsAuth
	}
	return nil
}

// checkLoopbackAddr returns what is wrong with a listen address, or "".
func checkLoopbackAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "must be host:port on loopback, e.g. \"127.0.0.1:7420\""
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "port " + strconv.Quote(port) + " is not a number from 0 to 65535"
	}
	if !isLoopbackHost(host) {
		return "host " + strconv.Quote(host) + " is not loopback; the status API listens only on 127.0.0.1, ::1 or localhost"
	}
	return ""
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (p *parser) applyWatch(f fileWatch, w *Watch) error {
	for _, d := range []struct {
		key     string
		value   *string
		dst     *time.Duration
		allow0  bool
		example string
	}{
		{"watch.quiet_period", f.QuietPeriod, &w.QuietPeriod, false, "2s"},
		{"watch.max_wait", f.MaxWait, &w.MaxWait, false, "30s"},
		{"watch.delete_delay", f.DeleteDelay, &w.DeleteDelay, true, "10s"},
		{"watch.rescan_interval", f.RescanInterval, &w.RescanInterval, false, "1h"},
	} {
		if err := p.duration(d.key, d.value, d.dst, d.allow0, d.example); err != nil {
			return err
		}
	}
	if w.MaxWait < w.QuietPeriod {
		key := "watch.max_wait"
		if f.MaxWait == nil {
			key = "watch.quiet_period"
		}
		return p.errAt(key, -1, "max_wait (%s) must not be shorter than quiet_period (%s)", w.MaxWait, w.QuietPeriod)
	}
	return nil
}

// duration parses a Go duration string ("2s", "1h30m") into dst when the key is set.
func (p *parser) duration(key string, value *string, dst *time.Duration, allowZero bool, example string) error {
	if value == nil {
		return nil
	}
	d, err := time.ParseDuration(*value)
	if err != nil {
		return p.errAt(key, -1, "%q is not a duration (expected a number with a unit, e.g. %q)", *value, example)
	}
	switch {
	case d < 0:
		return p.errAt(key, -1, "must not be negative (got %s)", *value)
	case d == 0 && !allowZero:
		return p.errAt(key, -1, "must be longer than 0 (e.g. %q)", example)
	}
	*dst = d
	return nil
}

func (p *parser) applySync(f fileSync, s *Sync) error {
	if f.Auto != nil {
		s.Auto = *f.Auto
	}
	if f.Concurrency != nil {
		if *f.Concurrency < 1 {
			return p.errAt("sync.concurrency", -1, "must be ≥ 1 (got %d)", *f.Concurrency)
		}
		s.Concurrency = *f.Concurrency
	}
	if err := p.duration("sync.remote_poll_interval", f.RemotePollInterval, &s.RemotePollInterval, false, "10m"); err != nil {
		return err
	}
	if f.EditInReview != nil {
		s.EditInReview = *f.EditInReview
	}
	if f.ApproveOver != nil {
		if *f.ApproveOver < 0 {
			return p.errAt("sync.approve_over", -1, "must be ≥ 0 (got %d; 0 makes every change wait for approval)", *f.ApproveOver)
		}
		s.ApproveOver = *f.ApproveOver
	}
	return nil
}

var (
	localePattern      = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
	displayTypePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

func (p *parser) applyCollection(f fileCollection, c *Collection) error {
	for _, l := range f.ExtraLocales {
		if !localePattern.MatchString(l) {
			return p.errAt("collection.extra_locales", -1, "%q is not a locale code (expected App Store Connect's spelling, e.g. \"de-DE\")", l)
		}
	}
	for _, t := range f.ExtraDisplayTypes {
		if !displayTypePattern.MatchString(t) {
			return p.errAt("collection.extra_display_types", -1, "%q is not a display type (expected an upper-case enum value, e.g. \"APP_IPHONE_67\")", t)
		}
	}
	for _, code := range f.Quiet {
		if !collection.IsQuietable(code) {
			return p.errAt("collection.quiet", -1, "%q is not a warning code that can be quieted (errors never are; warnings: %s)", code, strings.Join(collection.QuietableCodes, ", "))
		}
	}
	c.Quiet = append([]string(nil), f.Quiet...)
	c.ExtraLocales = append([]string(nil), f.ExtraLocales...)
	c.ExtraDisplayTypes = append([]string(nil), f.ExtraDisplayTypes...)
	return nil
}

func (p *parser) applyAccounts(fs []fileAccount, cfg *Config) error {
	names := map[string]int{}
	for i, f := range fs {
		a := Account{Name: DefaultAccountName}
		if f.Name != nil {
			if strings.TrimSpace(*f.Name) == "" {
				return p.errAt("account.name", i, "must not be empty (leave it out for %q)", DefaultAccountName)
			}
			a.Name = *f.Name
		}
		if first, dup := names[a.Name]; dup {
			key := "account.name"
			if f.Name == nil {
				key = "account" // the header of an unnamed second account
			}
			return p.errAt(key, i, "duplicate account name %q (account %d has it too; give each [[account]] its own name)", a.Name, first+1)
		}
		names[a.Name] = i
		a.Individual = f.Individual != nil && *f.Individual
		issuer := deref(f.IssuerID)
		switch {
		case a.Individual && issuer != "":
			return p.errAt("account.issuer_id", i, "an individual key has no issuer ID: remove issuer_id or set individual = false")
		case !a.Individual && strings.TrimSpace(issuer) == "":
			key := "account.issuer_id"
			if f.IssuerID == nil {
				key = "account"
			}
			return p.errAt(key, i, "account %q needs issuer_id (the UUID from Users and Access → Integrations), or individual = true for an individual key", a.Name)
		}
		a.IssuerID = issuer
		if strings.TrimSpace(deref(f.KeyID)) == "" {
			return p.errAt(keyOrTable("account.key_id", f.KeyID), i, "account %q needs key_id (the key's ID, e.g. \"2X9R4HXF34\")", a.Name)
		}
		a.KeyID = *f.KeyID
		if strings.TrimSpace(deref(f.PrivateKeyPath)) == "" {
			return p.errAt(keyOrTable("account.private_key_path", f.PrivateKeyPath), i, "account %q needs private_key_path (the .p8 file App Store Connect gave you)", a.Name)
		}
		a.PrivateKeyPath = resolvePath(*f.PrivateKeyPath, p.base, p.home)
		if f.APIBaseURL != nil {
			if msg := checkBaseURL(*f.APIBaseURL); msg != "" {
				return p.errAt("account.api_base_url", i, "%s", msg)
			}
			a.APIBaseURL = strings.TrimRight(*f.APIBaseURL, "/")
		}
		if err := p.rateWindow(f, i, &a); err != nil {
			return err
		}
		cfg.Accounts = append(cfg.Accounts, a)
	}
	return nil
}

// rateWindow reads an account's rate_window: a budget window other than Apple's hour exists
// only on a simulator, so it needs a loopback api_base_url.
func (p *parser) rateWindow(f fileAccount, i int, a *Account) error {
	if f.RateWindow == nil {
		return nil
	}
	d, err := time.ParseDuration(*f.RateWindow)
	switch {
	case err != nil:
		return p.errAt("account.rate_window", i, "%q is not a duration (expected a number with a unit, e.g. \"1m\")", *f.RateWindow)
	case d <= 0:
		return p.errAt("account.rate_window", i, "must be longer than 0 (e.g. \"1m\")")
	}
	u, _ := url.Parse(a.APIBaseURL)
	if a.APIBaseURL == "" || !isLoopbackHost(u.Hostname()) {
		return p.errAt("account.rate_window", i, "is only for the simulator: set it together with a loopback api_base_url (App Store Connect's window is one hour)")
	}
	a.RateWindow = d
	return nil
}

// keyOrTable names the key when the file has it, else the account's [[account]] header.
func keyOrTable(key string, v *string) string {
	if v == nil {
		return "account"
	}
	return key
}

// checkBaseURL returns what is wrong with an api_base_url, or "".
func checkBaseURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "must be an absolute URL, e.g. \"https://api.appstoreconnect.apple.com\""
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return ""
		}
		return "http is allowed only on loopback (the simulator); use https for " + u.Host
	}
	return "scheme " + strconv.Quote(u.Scheme) + " is not http or https"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
