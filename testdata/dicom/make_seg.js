// Writes DICOM-SEG files with dcmjs (npm dcmjs 0.29.x) for scirad's tests.
// Usage: node make_seg.js DCMJS_DIR IMAGE_SERIES_DIR LESION_DIR CORD_DIR FRAC_DIR OUT_DIR
// IMAGE_SERIES_DIR is the image the segments are drawn on; LESION_DIR,
// CORD_DIR and FRAC_DIR are the masks as DICOM series on the same grid
// (plastimatch convert of the NIfTI masks). Frames are matched by
// ImagePositionPatient. Output:
//   seg_binary.dcm      BINARY, two overlapping segments: "Injured cord" (the
//                       lesion mask) and "Spinal cord" (the whole cord mask)
//   seg_fractional.dcm  FRACTIONAL (max 255), one segment "Spinal cord": the
//                       FRAC mask's values (255 lesion, 200 cord, 60 a ring
//                       around the cord that a 0.5 threshold leaves out)
const path = require("path");
const fs = require("fs");
const dcmjs = require(path.join(process.argv[2], "node_modules", "dcmjs"));
const [imgDir, lesDir, cordDir, fracDir, outDir] = process.argv.slice(3);

function readSeries(dir) {
  return fs.readdirSync(dir).sort().filter(f => f.endsWith(".dcm")).map(f => {
    const buf = fs.readFileSync(path.join(dir, f));
    const dicom = dcmjs.data.DicomMessage.readFile(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dicom.dict);
    ds._meta = dcmjs.data.DicomMetaDictionary.namifyDataset(dicom.meta);
    return ds;
  });
}
const key = ipp => ipp.map(x => Number(x).toFixed(3)).join(",");
function slicesByPosition(dir) {
  const m = new Map();
  for (const ds of readSeries(dir)) {
    const px = new Int16Array(ds.PixelData[0] || ds.PixelData);
    m.set(key(ds.ImagePositionPatient), px);
  }
  return m;
}

const images = readSeries(imgDir);
const code = (v, s, m) => ({ CodeValue: v, CodingSchemeDesignator: s, CodeMeaning: m });
const segmentMeta = label => ({
  SegmentLabel: label,
  SegmentedPropertyCategoryCodeSequence: code("123037004", "SCT", "Anatomical Structure"),
  SegmentedPropertyTypeCodeSequence: code("2748008", "SCT", "Spinal cord"),
  SegmentAlgorithmType: "MANUAL",
});

function build(fractional, segments, out) {
  const multiframe = dcmjs.normalizers.Normalizer.normalizeToDataset(images);
  const seg = new dcmjs.derivations.Segmentation([multiframe], { includeSliceSpacing: true });
  const frames = seg.referencedDataset.PerFrameFunctionalGroupsSequence;
  const n = seg.dataset.Rows * seg.dataset.Columns;
  const plan = segments.map(([label, dir]) => {
    const byPos = slicesByPosition(dir);
    const refs = [], data = [];
    frames.forEach((f, i) => {
      const px = byPos.get(key(f.PlanePositionSequence.ImagePositionPatient));
      if (!px) throw new Error("no mask slice at " + f.PlanePositionSequence.ImagePositionPatient);
      if (px.some(v => v !== 0)) {
        refs.push(i + 1);
        data.push(px);
      }
    });
    return { label, refs, data };
  });
  seg.setNumberOfFrames(plan.reduce((s, p) => s + p.refs.length, 0));
  if (fractional) {
    seg.dataset.SegmentationType = "FRACTIONAL";
    seg.dataset.SegmentationFractionalType = "PROBABILITY";
    seg.dataset.MaximumFractionalValue = 255;
    seg.dataset.BitsAllocated = "8";
    seg.dataset.BitsStored = "8";
    seg.dataset.HighBit = "7";
  }
  for (const p of plan) {
    const px = new Uint8Array(p.refs.length * n);
    p.data.forEach((d, k) => d.forEach((v, i) => { px[k * n + i] = fractional ? v : (v !== 0 ? 1 : 0); }));
    seg.addSegment(segmentMeta(p.label), px, p.refs);
  }
  if (!fractional) seg.bitPackPixelData();
  const part10 = dcmjs.data.datasetToDict(seg.dataset);
  fs.writeFileSync(path.join(outDir, out), Buffer.from(part10.write()));
}
build(false, [["Injured cord", lesDir], ["Spinal cord", cordDir]], "seg_binary.dcm");
build(true, [["Spinal cord", fracDir]], "seg_fractional.dcm");
console.log("dcmjs", require(path.join(process.argv[2], "node_modules", "dcmjs", "package.json")).version);
