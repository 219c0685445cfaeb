package main

import (
	"errors"
	"io"
)

// runSynth is replaced by the stage that owns it; until then the command says
// plainly that this build lacks it.
func runSynth(args []string, stdout, stderr io.Writer) error {
	return errors.New("this stage is not in this build yet")
}
