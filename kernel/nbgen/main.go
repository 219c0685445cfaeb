// Command nbgen writes scirad's notebooks (notebooks/NN_name.ipynb) from
// their sources (notebooks/src/NN_name.txt), so that every notebook starts
// with the same set-up cells and is committed in one canonical form, with
// outputs cleared.
//
// A source is a sequence of cells, each introduced by a line "-- md --" or
// "-- go --"; text before the first marker is ignored. After the first
// Markdown cell nbgen inserts the two set-up cells every notebook needs:
// a short shell cell that runs kernel/workspace.sh (a go.work joining GoNB's
// cell module with this repository, GoNB's gonbui pinned), and %goworkfix. Run from the
// repository root:
//
//	go run ./kernel/nbgen          # rewrite notebooks/*.ipynb
//	go run ./kernel/nbgen -check   # exit 1 if any is out of date
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SetupShell is the first code cell: kernel/workspace.sh makes GoNB's cell
// module part of a workspace with this repository, so that cells import
// github.com/scirad/scirad/..., and pins GoNB (whose gonbui the cells link)
// to the version in go.mod.
const SetupShell = "// Set-up: join this notebook's Go module to the scirad repository (kernel/workspace.sh).\n" +
	`!*"${GONB_DIR}/../kernel/workspace.sh"`

// Cell is one notebook cell (nbformat 4.5).
type Cell struct {
	Type           string          `json:"cell_type"`
	ExecutionCount json.RawMessage `json:"execution_count,omitempty"` // null for code cells
	ID             string          `json:"id"`
	Metadata       struct{}        `json:"metadata"`
	Outputs        *[]struct{}     `json:"outputs,omitempty"`
	Source         []string        `json:"source"`
}

// Notebook is an nbformat 4.5 notebook.
type Notebook struct {
	Cells    []Cell `json:"cells"`
	Metadata struct {
		Kernelspec struct {
			DisplayName string `json:"display_name"`
			Language    string `json:"language"`
			Name        string `json:"name"`
		} `json:"kernelspec"`
		LanguageInfo struct {
			Name string `json:"name"`
		} `json:"language_info"`
	} `json:"metadata"`
	NBFormat      int `json:"nbformat"`
	NBFormatMinor int `json:"nbformat_minor"`
}

// Parse reads a notebook source: cells introduced by "-- md --" or
// "-- go --" lines.
func Parse(src string) ([][2]string, error) {
	var cells [][2]string
	cur := -1
	var body []string
	flush := func() {
		if cur >= 0 {
			cells[cur][1] = strings.Trim(strings.Join(body, "\n"), "\n")
		}
		body = nil
	}
	for _, line := range strings.Split(src, "\n") {
		switch strings.TrimSpace(line) {
		case "-- md --", "-- go --":
			flush()
			kind := "markdown"
			if strings.Contains(line, "go") {
				kind = "code"
			}
			cells = append(cells, [2]string{kind, ""})
			cur = len(cells) - 1
			continue
		}
		body = append(body, line)
	}
	flush()
	if len(cells) == 0 || cells[0][0] != "markdown" {
		return nil, fmt.Errorf("nbgen: a notebook source must start with a -- md -- cell")
	}
	for i, c := range cells {
		if c[1] == "" {
			return nil, fmt.Errorf("nbgen: cell %d is empty", i+1)
		}
	}
	return cells, nil
}

// lines splits s as Jupyter stores sources: every line but the last keeps
// its newline.
func lines(s string) []string {
	parts := strings.SplitAfter(s, "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// Generate builds the notebook of a source, set-up cells included.
func Generate(src string) ([]byte, error) {
	parsed, err := Parse(src)
	if err != nil {
		return nil, err
	}
	all := [][2]string{parsed[0], {"code", SetupShell}, {"code", "%goworkfix"}}
	all = append(all, parsed[1:]...)
	var nb Notebook
	nb.Metadata.Kernelspec.DisplayName = "Go (gonb)"
	nb.Metadata.Kernelspec.Language = "go"
	nb.Metadata.Kernelspec.Name = "gonb"
	nb.Metadata.LanguageInfo.Name = "go"
	nb.NBFormat, nb.NBFormatMinor = 4, 5
	for i, c := range all {
		cell := Cell{Type: c[0], ID: fmt.Sprintf("cell-%02d", i), Source: lines(c[1])}
		if c[0] == "code" {
			cell.Outputs = &[]struct{}{}
			cell.ExecutionCount = json.RawMessage("null")
		}
		nb.Cells = append(nb.Cells, cell)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Sources lists notebooks/src/*.txt of the repository at root.
func Sources(root string) ([]string, error) {
	srcs, err := filepath.Glob(filepath.Join(root, "notebooks", "src", "*.txt"))
	if err != nil {
		return nil, err
	}
	if len(srcs) == 0 {
		return nil, fmt.Errorf("nbgen: no notebooks/src/*.txt under %s", root)
	}
	return srcs, nil
}

// Orphans lists the notebooks under root/notebooks that no source
// generates: a notebook edited by hand, whose source was lost or never
// written.
func Orphans(root string) ([]string, error) {
	nbs, err := filepath.Glob(filepath.Join(root, "notebooks", "*.ipynb"))
	if err != nil {
		return nil, err
	}
	var orphans []string
	for _, nb := range nbs {
		src := filepath.Join(filepath.Dir(nb), "src", strings.TrimSuffix(filepath.Base(nb), ".ipynb")+".txt")
		if _, err := os.Stat(src); err != nil {
			orphans = append(orphans, nb)
		}
	}
	return orphans, nil
}

// Target is the notebook a source generates.
func Target(src string) string {
	name := strings.TrimSuffix(filepath.Base(src), ".txt") + ".ipynb"
	return filepath.Join(filepath.Dir(filepath.Dir(src)), name)
}

func main() {
	check := flag.Bool("check", false, "report notebooks that differ from their sources instead of writing them")
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	srcs, err := Sources(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	orphans, err := Orphans(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, nb := range orphans {
		fmt.Fprintf(os.Stderr, "%s has no source in notebooks/src: write one, or delete the notebook\n", nb)
	}
	stale := len(orphans)
	for _, s := range srcs {
		text, err := os.ReadFile(s)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		nb, err := Generate(string(text))
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", s, err)
			os.Exit(1)
		}
		dst := Target(s)
		if *check {
			if old, err := os.ReadFile(dst); err != nil || !bytes.Equal(old, nb) {
				fmt.Fprintf(os.Stderr, "%s is out of date: go run ./kernel/nbgen\n", dst)
				stale++
			}
			continue
		}
		if err := os.WriteFile(dst, nb, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if stale > 0 {
		os.Exit(1)
	}
}
