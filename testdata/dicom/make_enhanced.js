// Writes an Enhanced MR multi-frame file from a single-frame MR series with
// dcmjs's normalizer (npm dcmjs 0.29.x), for scirad's tests: every frame
// with its PlanePositionSequence, shared orientation, pixel measures and
// rescale in the functional groups.
// Usage: node make_enhanced.js DCMJS_DIR SERIES_DIR OUT_FILE
const path = require("path");
const fs = require("fs");
const dcmjs = require(path.join(process.argv[2], "node_modules", "dcmjs"));
const [dir, out] = process.argv.slice(3);
const datasets = fs.readdirSync(dir).sort().filter(f => f.endsWith(".dcm")).map(f => {
  const buf = fs.readFileSync(path.join(dir, f));
  const dicom = dcmjs.data.DicomMessage.readFile(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dicom.dict);
  ds._meta = dcmjs.data.DicomMetaDictionary.namifyDataset(dicom.meta);
  if (Array.isArray(ds.PixelData)) ds.PixelData = ds.PixelData[0]; // the normalizer wants one buffer
  return ds;
});
const mf = dcmjs.normalizers.Normalizer.normalizeToDataset(datasets);
// dcmjs 0.29 leaves the class's name where its UID belongs (a TODO in its
// EnhancedMRImageNormalizer): put Legacy Converted Enhanced MR's UID there.
mf.SOPClassUID = "1.2.840.10008.5.1.4.1.1.4.4";
mf._meta = datasets[0]._meta;
mf._meta.MediaStorageSOPClassUID = { vr: "UI", Value: [mf.SOPClassUID] };
const dict = dcmjs.data.datasetToDict(mf);
fs.writeFileSync(out, Buffer.from(dict.write()));
console.log("dcmjs", require(path.join(process.argv[2], "node_modules", "dcmjs", "package.json")).version, mf.SOPClassUID, mf.NumberOfFrames);
