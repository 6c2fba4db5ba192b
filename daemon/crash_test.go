package daemon

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
)

// startChild runs the test binary as a daemon process on e's config.
func startChild(t *testing.T, e *env, logName string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+e.cfg.Path)
	logf, err := os.Create(filepath.Join(e.dir, logName))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("%s:\n%s", logName, b)
		}
	})
	return cmd
}

// TestCrashMidUploadResumes kills the daemon process in the middle of a screenshot upload and
// starts it again: the remote set ends exactly equal to the folder, with no duplicate and no
// unfinished placeholder.
func TestCrashMidUploadResumes(t *testing.T) {
	e := newEnv(t, envOptions{})
	before, _ := e.srv.ScreenshotSet(testApp, testVersion, "en-US", "APP_IPHONE_67")
	e.stop() // the crash test runs the daemon in child processes from here on

	img := ascapitest.SamplePNG(1290, 2796, 9)
	writeFile(t, e.coll("screenshot", "en-US", "APP_IPHONE_67", "09_new.png"), img)
	e.srv.ResetJournal()
	e.srv.SetFaults(ascapitest.Faults{Latency: 300 * time.Millisecond})

	first := startChild(t, e, "daemon1.log")
	e.waitFor("the screenshot reservation", func() bool {
		return slices.ContainsFunc(e.srv.APICalls(), func(c ascapitest.Entry) bool {
			return c.Method == "POST" && c.Path == "/v1/appScreenshots" && c.Status == 201
		})
	})
	time.Sleep(50 * time.Millisecond) // the upload part PUT is now on its way (300 ms latency)
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	mid, _ := e.srv.ScreenshotSet(testApp, testVersion, "en-US", "APP_IPHONE_67")
	t.Logf("after the kill the remote set holds %v", assetStates(mid))

	e.srv.SetFaults(ascapitest.Faults{})
	startChild(t, e, "daemon2.log")
	want := append(slices.Clone(before.Checksums()), md5hex(img))
	e.waitFor("the remote set to equal the folder", func() bool {
		set, _ := e.srv.ScreenshotSet(testApp, testVersion, "en-US", "APP_IPHONE_67")
		return slices.Equal(set.Checksums(), want) && !slices.ContainsFunc(set.Assets, func(a ascapitest.AssetInfo) bool { return a.State != "COMPLETE" })
	})
	set, _ := e.srv.ScreenshotSet(testApp, testVersion, "en-US", "APP_IPHONE_67")
	if len(set.Assets) != 4 {
		t.Errorf("remote set %v, want 4 screenshots", assetStates(set))
	}
}

func assetStates(s ascapitest.SetInfo) string {
	var parts []string
	for _, a := range s.Assets {
		parts = append(parts, a.FileName+":"+a.State)
	}
	return strings.Join(parts, ", ")
}
