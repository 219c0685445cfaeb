// Package notebook holds the browser test of notebooks/10_browser_demo.ipynb,
// which runs scirad's radiomics and classifier core twice on a toy patient:
// natively, and compiled to WebAssembly in the notebook page by GoNB's
// `%wasm` cells. The test starts Jupyter on 127.0.0.1, opens the notebook
// in headless Chromium, runs every cell from the page, reads the prediction
// that the WebAssembly program wrote into its cell, and compares it with the
// native bundle.Predict on the same patient.
//
// It runs when SCIRAD_NOTEBOOK_TESTS=1 (it needs Jupyter and the GoNB
// kernel: make kernel) and Chromium is installed; otherwise it is skipped.
// It works on a copy of the notebook in a temporary folder laid out like
// the repository (go.mod, pipeline/ and testdata/ linked), so that Jupyter's
// autosave and GoNB's jupyter_files/ never touch the working tree.
package notebook
