package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
)

func newSimulatorCmd(g *globals) *cobra.Command {
	var (
		listen, faultSpec, seedPath, credDir string
		rateSpec, statePath                  string
		latency, processingDelay             time.Duration
	)
	cmd := &cobra.Command{
		Use:   "simulator",
		Short: "Run the App Store Connect simulator",
		Long: `Run only the built-in App Store Connect simulator: an in-memory App Store Connect with a
seeded demo app (com.example.demo), Apple's auth, state and media rules, and fault hooks.
It runs until interrupted.

--faults takes ';'-separated items: latency=D, seed=N, error_rate:ENDPOINT=P,
applied_500:ENDPOINT=P, applied_503:ENDPOINT=P, drop_conn:ENDPOINT=P (ENDPOINT is
"METHOD /v1/path" or "upload"), fail_parts=N, processing_fail=N, stuck=N.

--state FILE keeps the simulator's data (apps, versions, texts, sets and assets) across
restarts: it is loaded at start when FILE exists (instead of the seed), and saved atomically
(a temporary file, then a rename) within a second of every change and at shutdown.

--rate-limit N/DURATION sets the key's budget: N requests per rolling DURATION (default
3600/1h, as Apple). A shorter window scales a long push down for tests; tell StoreSyncer with
rate_window = "DURATION" in the [[account]] (written for you by --write-credentials).`,
		Example: `  storesyncer simulator --write-credentials ./sim
  storesyncer --config ./sim/config.toml doctor
  storesyncer simulator --rate-limit 300/1m --write-credentials ./sim
  storesyncer simulator --write-credentials ./sim --state ./sim/simulator.json
  storesyncer simulator --listen 127.0.0.1:9000 --processing-delay 3s \
      --faults 'error_rate:POST /v1/appScreenshots=0.2;stuck=1'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			faults, err := ascapitest.ParseFaults(faultSpec)
			if err != nil {
				return usageError("usage", "", "--faults: %v", err)
			}
			if latency > 0 {
				faults.Latency = latency
			}
			limit, window, err := ascapitest.ParseRateBudget(rateSpec)
			if err != nil {
				return usageError("usage", "", "--rate-limit: %v", err)
			}
			srv := &ascapitest.Server{Logger: g.logger.With("component", "simulator"),
				ProcessingDelay: processingDelay, Faults: faults, Now: g.now,
				RateLimit: limit, RateWindow: window}
			if seedPath != "" {
				seed, err := ascapitest.LoadSeed(seedPath)
				if err != nil {
					return usageError("usage", seedPath, "--seed: %v", err)
				}
				srv.Seed = seed
			}
			if credDir != "" {
				pem, err := ascapitest.ReadKeyFile(credDir)
				if err != nil {
					return usageError("usage", credDir, "--write-credentials: %v", err)
				}
				srv.MainKeyPEM = pem
			}
			if err := srv.Init(); err != nil {
				return usageError("usage", seedPath, "--seed: %v", err)
			}
			if statePath != "" {
				if _, err := srv.LoadState(statePath); err != nil {
					return usageError("usage", statePath, "--state: %v", err)
				}
			}
			if err := srv.Start(listen); err != nil {
				return failure("simulator.listen", "", err)
			}
			defer srv.Close()
			updated := false
			if credDir != "" {
				if updated, err = ascapitest.SaveCredentials(credDir, srv.Credentials(), srv.URL(), window); err != nil {
					return failure("simulator.credentials", credDir, err)
				}
			}
			if g.json {
				creds := srv.Credentials()
				if err := writeJSON(g.stdout, map[string]string{"url": srv.URL(), "issuer_id": creds.IssuerID,
					"key_id": creds.KeyID, "credentials_dir": credDir}); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(g.stdout, "simulator listening on %s\n", srv.URL())
				switch {
				case updated:
					fmt.Fprintf(g.stdout, "kept the key and config in %s (api_base_url updated)\n", credDir)
				case credDir != "":
					fmt.Fprintf(g.stdout, "credentials and config written to %s\n", credDir)
				}
			}
			if statePath == "" {
				<-cmd.Context().Done()
				return nil
			}
			return keepState(cmd.Context(), srv, statePath, time.Second)
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:0", "address to listen on")
	f.DurationVar(&latency, "latency", 0, "delay every answer by this long")
	f.DurationVar(&processingDelay, "processing-delay", 2*time.Second, "how long uploaded assets stay UPLOAD_COMPLETE")
	f.StringVar(&faultSpec, "faults", "", "faults to inject (see above)")
	f.StringVar(&rateSpec, "rate-limit", "3600/1h", "request budget per rolling window, N/DURATION")
	f.StringVar(&statePath, "state", "", "keep the simulator's data in FILE across restarts (loaded at start, saved within a second of a change and at shutdown)")
	f.StringVar(&seedPath, "seed", "", "JSON file with the initial apps (default: the demo app)")
	f.StringVar(&credDir, "write-credentials", "", "write AuthKey_<KEYID>.p8 and a config.toml for the simulator into DIR; a second run keeps both and updates only api_base_url and rate_window")
	return cmd
}

// keepState saves srv's data to path within every period after a change, and once more when
// ctx ends.
func keepState(ctx context.Context, srv *ascapitest.Server, path string, period time.Duration) error {
	saved := srv.Changes()
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := srv.SaveState(path); err != nil {
				return failure("simulator.state", path, err)
			}
			return nil
		case <-tick.C:
			if n := srv.Changes(); n != saved {
				if err := srv.SaveState(path); err != nil {
					return failure("simulator.state", path, err)
				}
				saved = n
			}
		}
	}
}
