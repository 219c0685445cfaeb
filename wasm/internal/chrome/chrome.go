//go:build !js

// Package chrome drives headless Chromium for the browser tests of wasm/
// and wasm/notebook: a copy of pipeline/internal/browser's API, which Go's
// internal rule keeps out of wasm/ (only packages under pipeline/ may
// import it). It differs in one point: it reaches http://127.0.0.1 servers
// while offline (see Start). Once that harness moves to the module root's
// internal/, this package goes.
package chrome

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Session is a headless browser tab with its log.
type Session struct {
	Ctx    context.Context
	cancel []context.CancelFunc

	mu       sync.Mutex
	errors   []string
	requests []string
}

// Require returns Chromium's path, failing the test when
// SCIRAD_BROWSER_TESTS=1 (make test) and skipping it otherwise.
func Require(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("SCIRAD_BROWSER_TESTS") == "1" {
		t.Fatal("chromium not found, but SCIRAD_BROWSER_TESTS=1: install Debian's chromium (make test does)")
	}
	t.Skip("chromium not installed (make test installs it and runs this test)")
	return ""
}

// Start launches headless Chromium, offline: every non-loopback request
// goes to a closed proxy port.
func Start(exe string) (*Session, error) {
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1400, 1000),
		// Chromium never proxies loopback addresses by default, so the
		// test's server is reached and everything else fails. (A bypass
		// list of "<-loopback>" would send loopback to the proxy too.)
		chromedp.ProxyServer("127.0.0.1:9"),
	)
	s := &Session{}
	actx, c1 := chromedp.NewExecAllocator(context.Background(), flags...)
	ctx, c2 := chromedp.NewContext(actx)
	s.Ctx, s.cancel = ctx, []context.CancelFunc{c2, c1}
	err := chromedp.Listen(ctx, func(ev any) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
				}
				s.errors = append(s.errors, "console."+string(ev.Type)+": "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			msg := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
			s.errors = append(s.errors, "exception: "+msg)
		case *network.EventRequestWillBeSent:
			s.requests = append(s.requests, ev.Request.URL)
		}
	})
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("start %s: %w", exe, err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		s.Close()
		return nil, fmt.Errorf("start %s: %w", exe, err)
	}
	return s, nil
}

// Close ends the browser.
func (s *Session) Close() {
	for _, c := range s.cancel {
		c()
	}
}

// Errors returns the console errors and exceptions seen so far.
func (s *Session) Errors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.errors...)
}

// RemoteRequests lists the requests to anything but loopback, data: and
// blob: URLs.
func (s *Session) RemoteRequests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, u := range s.requests {
		if !strings.HasPrefix(u, "http://127.0.0.1") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			out = append(out, u)
		}
	}
	return out
}

// Open navigates to url and waits for the page to load.
func (s *Session) Open(url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(s.Ctx, timeout)
	defer cancel()
	return chromedp.Do(ctx, chromedp.Navigate(url))
}

// Eval evaluates js and decodes its JSON-able value into T.
func Eval[T any](s *Session, js string, timeout time.Duration) (T, error) {
	ctx, cancel := context.WithTimeout(s.Ctx, timeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](js))
}

// WaitFor polls the expression js until it is true.
func (s *Session) WaitFor(js string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(s.Ctx, timeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		return fmt.Errorf("waiting for %s: %w (page errors: %v)", js, err, s.Errors())
	}
	return nil
}

// Screenshot writes a PNG of the whole page to path.
func Screenshot(t testing.TB, s *Session, path string) {
	ctx, cancel := context.WithTimeout(s.Ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Error(err)
	}
}
