// Command wasm is scirad's browser demo: the radiomics and classifier core
// compiled to WebAssembly (GOOS=js GOARCH=wasm), with a page that scores a
// patient locally — nothing is uploaded.
//
// The same package builds twice:
//
//   - for js/wasm (main_js.go), it is the program the page loads
//     (scirad.wasm): it registers a few functions on the page's global
//     `scirad` object that decode a NIfTI or NRRD image and label map from
//     the bytes of a picked file, draw the sagittal slice through the
//     lesion with the ROI overlaid, and score the patient with a trained
//     bundle (package bundle: preprocessing, the 1070 radiomics features,
//     ComBat, z-score, rad-score, classifier — the same Predict that
//     `scirad predict` runs), and filter the image with any filter of
//     package filter/gallery (the paper's four, pyradiomics' image types,
//     IBSI chapter 2; the list notebook 02 shows) to draw the filtered
//     slice beside the original;
//   - natively (tool.go), it is the tool behind `make wasm` and `make demo`.
//
// The tool's commands:
//
//	go run ./wasm build -out wasm/dist [-bundle FILE | -cohort DIR -run DIR]
//	go run ./wasm serve -dir wasm/dist [-addr 127.0.0.1:8765]
//	go run ./wasm train -cohort DIR -out DIR
//
// build compiles scirad.wasm, copies Go's wasm_exec.js from
// $(go env GOROOT)/lib/wasm, writes the page (web/, embedded), echarts
// (pipeline/report's embedded copy: nothing comes from a CDN), the bundle
// as bundle_rad.json and three toy patients, generated deterministically by
// synth (`scirad synth -n 8 -seed 1 -size small`, the first three patients
// of centres the bundle knows) into toy/. Without -bundle, build trains one
// with train: `scirad run`'s pipeline on the cohort in -cohort (synthesised
// with `-n 82 -seed 1 -size small` if the folder is empty), deep features
// off, and run.Result.WriteBundle.
//
// # Limits in the browser
//
// The page refuses images of more than MaxVoxels voxels before decoding
// them (the header is read first), so an absurd header never exhausts the
// tab's memory. Detached NRRD headers (.nhdr) and 3D Slicer .seg.nrrd
// segmentations are not read in the browser: a picked file has no
// neighbours to follow, and the label-map contraction of .seg.nrrd lives
// in package volio, which reads paths; use a NIfTI or attached NRRD label
// map.
package main
