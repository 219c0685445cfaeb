// Package batch runs the per-patient stages over a cohort: a worker pool
// that reads each patient's image once and hands the volumes to package
// radiomics, a resume sidecar so that an interrupted extraction loses only
// the patients in flight, and shards, so that a cluster scheduler (a Slurm
// job array, a Kubernetes Indexed Job) can split a cohort over machines and
// merge the pieces into the table a single process would have written,
// byte for byte. Package radiomics stays about one patient's ROIs
// (radiomics.ExtractImages); this package is about many patients.
//
// # Extraction
//
// ExtractCohort extracts every patient of a manifest (cohort.ManifestEntry
// rows) with radiomics.CohortSettings: per patient, the image is read once,
// each rater's mask is read and preprocessing gives the original and its
// filtered images (the paper's five: original, mean, box, gaussian, median;
// or the original and CohortSettings.Filters, any filters of package
// gallery's registry); radiomics.ExtractImages extracts each ROI of each
// image. Patients run in parallel (Options.Workers, ForEach).
// Patients with a mask_rater2 are extracted twice, and Result.Reliability
// gives each feature's inter-rater ICC (package radiomics/icc).
//
// # Resume
//
// With Options.Resume set, each finished extraction is appended at once to
// a sidecar CSV keyed by the settings hash (radiomics.CohortSettings.Hash)
// and each input file's path, size and modification time; a rerun reuses
// the rows whose key matches. Every row carries a CRC-32C of its fields: a
// row cut short by a kill (even inside its last number) or damaged on disk
// fails its checksum and that extraction runs again. The sidecar is opened
// without following a symbolic link.
//
// # Shards
//
// A Shard K/N (0 ≤ K < N) holds the patients whose id hashes (FNV-1a, 64
// bits) to K modulo N: the partition depends on each patient's id only, not
// on the manifest's order or the other patients, so a shard's resume
// sidecar stays valid when patients are added. ShardFromEnv reads the shard
// from a flag, or from Slurm's SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT
// or Kubernetes' JOB_COMPLETION_INDEX. WriteShard writes a shard's rows
// (both raters) atomically with a header naming the scirad version, the
// settings hash, a hash of the whole manifest's ids and centres, the
// shard and the patient count; Merge checks that every shard and every
// patient is present exactly once under the same version, settings and
// manifest, and returns the tables ExtractCohort would have returned, in
// manifest order, so that writing them gives the same bytes.
package batch
