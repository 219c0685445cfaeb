// Package browsertest starts headless Chromium for scirad's browser tests
// (the offline report, the WebAssembly demo, the notebook demo) and records
// what a page logs, throws or fetches, so a test can fail on any of it. It
// is imported by tests only.
//
// Chromium comes from Debian's package (/usr/bin/chromium). Tests call
// Require: it fails the test when SCIRAD_BROWSER_TESTS=1 (set by `make
// test`, which installs chromium) and Chromium is missing, and skips it
// otherwise, so `go test` on a bare machine still runs everything else.
package browsertest

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

// Path returns the Chromium executable, or "" if there is none.
func Path() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Require returns the Chromium path or ends the test (see the package doc).
func Require(t testing.TB) string {
	t.Helper()
	p := Path()
	if p == "" {
		if os.Getenv("SCIRAD_BROWSER_TESTS") == "1" {
			t.Fatal("chromium not found, but SCIRAD_BROWSER_TESTS=1: install Debian's chromium (make test does)")
		}
		t.Skip("chromium not installed (make test installs it and runs this test)")
	}
	return p
}

// Session is a headless browser tab with its log.
type Session struct {
	Ctx    context.Context
	cancel []context.CancelFunc

	mu       sync.Mutex
	errors   []string // console errors and uncaught exceptions
	requests []string // every URL the page asked for
}

// Options configure Start.
type Options struct {
	Offline bool // send every request but loopback ones to a closed proxy port
}

// Start launches Chromium (headless, no sandbox, no GPU, no background
// networking) and opens a tab.
func Start(exe string, o Options) (*Session, error) {
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("allow-file-access-from-files", true),
		chromedp.WindowSize(1400, 1000),
	)
	if o.Offline {
		// Chromium never proxies loopback addresses, so pages served on
		// 127.0.0.1 by the test still load; everything else fails.
		flags = append(flags, chromedp.ProxyServer("127.0.0.1:9"))
	}
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
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			s.errors = append(s.errors, "exception: "+msg)
		case *network.EventRequestWillBeSent:
			s.requests = append(s.requests, ev.Request.URL)
		}
	})
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("browsertest: start %s: %w", exe, err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		s.Close()
		return nil, fmt.Errorf("browsertest: start %s: %w", exe, err)
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

// RemoteRequests returns the requests to anything but file:, data:, blob:
// and loopback URLs.
func (s *Session) RemoteRequests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, u := range s.requests {
		switch {
		case strings.HasPrefix(u, "file:"), strings.HasPrefix(u, "data:"), strings.HasPrefix(u, "blob:"),
			strings.HasPrefix(u, "http://127.0.0.1"), strings.HasPrefix(u, "http://localhost"),
			strings.HasPrefix(u, "ws://127.0.0.1"), strings.HasPrefix(u, "ws://localhost"):
		default:
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

// Eval evaluates js in the page and decodes its JSON-able result into T.
func Eval[T any](s *Session, js string, timeout time.Duration) (T, error) {
	ctx, cancel := context.WithTimeout(s.Ctx, timeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](js))
}

// WaitFor polls the JavaScript expression js until it is true.
func (s *Session) WaitFor(js string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(s.Ctx, timeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		return fmt.Errorf("browsertest: waiting for %s: %w (page errors: %v)", js, err, s.Errors())
	}
	return nil
}

// Screenshot writes a PNG of the whole page to path (for looking at a
// failing page).
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
