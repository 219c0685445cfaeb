//go:build !js

package main

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/scirad/scirad/pipeline/bundle"
	"github.com/scirad/scirad/pipeline/cohort"
	"github.com/scirad/scirad/pipeline/report"
	"github.com/scirad/scirad/pipeline/run"
	"github.com/scirad/scirad/pipeline/synth"
)

// web holds the page: index.html, app.js, style.css.
//
//go:embed web
var web embed.FS

// Package is this package's import path, which build compiles for js/wasm.
const Package = "github.com/scirad/scirad/wasm"

// toyOptions are the synthetic patients written into the demo folder:
// `scirad synth -n 8 -seed 1 -size small`, of which the first ToyCount
// from centres the bundle knows.
func toyOptions() synth.Options { return synth.Options{N: 8, Seed: 1, Size: synth.Small, Workers: 1} }

// ToyCount is the number of toy patients the page offers.
const ToyCount = 3

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "build":
		err = cmdBuild(os.Args[2:])
	case "serve":
		err = cmdServe(os.Args[2:])
	case "train":
		err = cmdTrain(os.Args[2:])
	case "-h", "-help", "--help", "help":
		usage()
		return
	default:
		fmt.Fprintf(os.Stderr, "wasm: unknown command %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintf(os.Stderr, "wasm %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `Usage: go run ./wasm <command> [flags]

  build -out DIR [-bundle FILE | -cohort DIR -run DIR]   the demo folder (scirad.wasm, page, bundle, toy patients)
  serve -dir DIR [-addr 127.0.0.1:8765]                  serve it on localhost and print the URL
  train -cohort DIR -out DIR                             run the pipeline (no deep features) and write models/bundle_rad.json
`)
}

func cmdBuild(args []string) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	out := fs.String("out", "wasm/dist", "demo `folder` to write")
	bundlePath := fs.String("bundle", "", "trained bundle `file` (default: train one with -cohort and -run)")
	cohortDir := fs.String("cohort", "out/toy", "cohort `folder` to train on when -bundle is not given (synthesised if empty)")
	runDir := fs.String("run", "out/wasm-run", "run output `folder` when training (its models/bundle_rad.json is reused if present)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *bundlePath == "" {
		p, err := train(*cohortDir, *runDir, os.Stderr)
		if err != nil {
			return err
		}
		*bundlePath = p
	}
	info, err := Build(*out, *bundlePath, os.Stderr)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s: scirad.wasm %d bytes, bundle %s, toy patients %s\n", *out, info.WasmBytes, *bundlePath, strings.Join(info.Toys, ", "))
	return nil
}

func cmdTrain(args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	cohortDir := fs.String("cohort", "out/toy", "cohort `folder` (synthesised with -n 82 -seed 1 -size small if it has no manifest.csv)")
	out := fs.String("out", "out/wasm-run", "run output `folder`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := train(*cohortDir, *out, os.Stderr)
	if err != nil {
		return err
	}
	fmt.Println(p)
	return nil
}

func cmdServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dir := fs.String("dir", "wasm/dist", "demo `folder` written by build")
	addr := fs.String("addr", "127.0.0.1:8765", "listen `address` (keep it on localhost)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*dir, "scirad.wasm")); err != nil {
		return fmt.Errorf("%s has no scirad.wasm: run `make wasm` first", *dir)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Printf("scirad browser demo: http://%s/  (Ctrl-C stops)\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	srv := &http.Server{Handler: Handler(*dir)}
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Handler serves the demo folder, never cached, so a rebuilt scirad.wasm
// is picked up on reload.
func Handler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/wasm")
		}
		files.ServeHTTP(w, r)
	})
}

// train runs the paper's pipeline without deep features on the cohort
// (synthesising the toy cohort first if the folder has no manifest) and
// writes the Rad signature's bundle; an existing bundle in the run folder
// is reused.
func train(cohortDir, out string, log io.Writer) (string, error) {
	path := filepath.Join(out, "models", "bundle_rad.json")
	if _, err := os.Stat(path); err == nil {
		fmt.Fprintf(log, "reusing %s\n", path)
		return path, nil
	}
	if _, err := os.Stat(filepath.Join(cohortDir, "manifest.csv")); err != nil {
		fmt.Fprintf(log, "synthesising the toy cohort in %s\n", cohortDir)
		if _, err := synth.Write(cohortDir, synth.Options{N: 82, Seed: 1, Size: synth.Small, Workers: runtime.GOMAXPROCS(0)}); err != nil {
			return "", err
		}
	}
	p := run.Quick()
	p.DeepArchs = nil
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := run.Run(ctx, run.Config{Cohort: cohortDir, Out: out, Profile: p, Seed: 1, Log: log})
	if err != nil {
		return "", err
	}
	return r.WriteBundle()
}

// BuildInfo describes a built demo folder.
type BuildInfo struct {
	WasmBytes int64
	Toys      []string // toy patient ids
}

// Toy is one entry of toy/toy.json.
type Toy struct {
	ID     string `json:"id"`
	Center string `json:"center"`
	Image  string `json:"image"` // paths relative to the demo folder
	Mask   string `json:"mask"`
}

// Build writes the demo folder out: scirad.wasm (compiled with the go
// command for GOOS=js GOARCH=wasm), wasm_exec.js from the Go installation,
// the page, echarts.min.js, the bundle at bundlePath as bundle_rad.json,
// and the toy patients (toy/toy.json lists them).
func Build(out, bundlePath string, log io.Writer) (*BuildInfo, error) {
	raw, err := os.ReadFile(bundlePath)
	if err != nil {
		return nil, err
	}
	b, err := bundle.Read(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", bundlePath, err)
	}
	if err := os.MkdirAll(filepath.Join(out, "toy"), 0o755); err != nil {
		return nil, err
	}
	wasmPath := filepath.Join(out, "scirad.wasm")
	goTool := goCommand()
	cmd := exec.Command(goTool, "build", "-trimpath", "-ldflags=-s -w", "-o", wasmPath, Package)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go build for js/wasm: %w", err)
	}
	root, err := exec.Command(goTool, "env", "GOROOT").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOROOT: %w", err)
	}
	execJS, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(root)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return nil, fmt.Errorf("Go's wasm_exec.js: %w", err)
	}
	files := map[string][]byte{
		"wasm_exec.js":    execJS,
		"echarts.min.js":  report.EchartsJS,
		"bundle_rad.json": raw,
	}
	err = fs.WalkDir(web, "web", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := web.ReadFile(p)
		files[strings.TrimPrefix(p, "web/")] = data
		return err
	})
	if err != nil {
		return nil, err
	}
	toys, err := writeToys(filepath.Join(out, "toy"), b.Centers())
	if err != nil {
		return nil, err
	}
	list, err := json.MarshalIndent(toys, "", " ")
	if err != nil {
		return nil, err
	}
	files["toy/toy.json"] = append(list, '\n')
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(out, filepath.FromSlash(name)), data, 0o644); err != nil {
			return nil, err
		}
	}
	st, err := os.Stat(wasmPath)
	if err != nil {
		return nil, err
	}
	info := &BuildInfo{WasmBytes: st.Size()}
	for _, t := range toys {
		info.Toys = append(info.Toys, t.ID)
	}
	return info, nil
}

// goCommand is the go command: $GO if set (the Makefile's), else "go".
func goCommand() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

// writeToys synthesises toyOptions' cohort and copies ToyCount of its
// patients from the given centres into dir.
func writeToys(dir string, centers []string) ([]Toy, error) {
	tmp, err := os.MkdirTemp("", "scirad-toy-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if _, err := synth.Write(tmp, toyOptions()); err != nil {
		return nil, err
	}
	rows, err := cohort.ReadManifest(filepath.Join(tmp, "manifest.csv"))
	if err != nil {
		return nil, err
	}
	var toys []Toy
	for _, r := range rows {
		if len(toys) == ToyCount {
			break
		}
		if !slices.Contains(centers, r.Center) {
			continue
		}
		t := Toy{ID: r.ID, Center: r.Center, Image: "toy/" + r.ID + "_t2" + ext(r.Image), Mask: "toy/" + r.ID + "_mask" + ext(r.Mask)}
		for src, dst := range map[string]string{r.Image: t.Image, r.Mask: t.Mask} {
			data, err := os.ReadFile(src)
			if err != nil {
				return nil, err
			}
			if err := os.WriteFile(filepath.Join(filepath.Dir(dir), filepath.FromSlash(dst)), data, 0o644); err != nil {
				return nil, err
			}
		}
		toys = append(toys, t)
	}
	if len(toys) == 0 {
		return nil, fmt.Errorf("no toy patient from the bundle's centres %v", centers)
	}
	return toys, nil
}

// ext is a file name's extension, .nii.gz counted whole.
func ext(name string) string {
	if strings.HasSuffix(name, ".nii.gz") {
		return ".nii.gz"
	}
	return filepath.Ext(name)
}
