package display

import (
	"html"
	"io"
	"os"

	"github.com/janpfeifer/gonb/gonbui"
)

// Progress is the writer to hand scirad's long stages in a notebook
// (toy.RunConfig, toy.Radiomics): every progress bar updates one display
// cell in place (GoNB's UpdateHTML), so a run shows one live line per bar
// instead of a line per tenth of the work, and the stage summaries print as
// text below. Outside a GoNB kernel it is os.Stdout.
func Progress() io.Writer {
	if !gonbui.IsNotebook {
		return os.Stdout
	}
	return liveStdout{os.Stdout}
}

// liveStdout is os.Stdout with live lines in GoNB display cells (the
// LiveWriter of scirad's progress bars).
type liveStdout struct{ io.Writer }

// Live returns a function that shows a line in a display cell of its own,
// replacing the line it showed before.
func (liveStdout) Live() func(line string) {
	id := "scirad-progress-" + gonbui.UniqueID()
	return func(line string) {
		gonbui.UpdateHTML(id, `<pre style="margin:0">`+html.EscapeString(line)+`</pre>`)
	}
}
