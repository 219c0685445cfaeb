// Package synth generates scirad's synthetic multicentre cohort of
// cervical spinal cord injury (SCI): sagittal T2-like MRI of the cervical
// spine, two raters' cord/lesion masks, and a clinical table that
// reproduces Table 1 of Lin et al. (Sci Rep 2025). The paper's data are
// private; this cohort has the same shape (the data contract, docs/contract.md) and an
// outcome that a sound pipeline can learn from the images only.
//
// # Geometry
//
// Scans are sagittal, stored PSR like clinical sagittal series (voxel axis
// i toward posterior, j toward superior, k toward the right; k indexes the
// sagittal slices), with 3 mm slices and a 1 mm gap (4 mm slice spacing).
// Size Paper: 256 × 512 in-plane voxels of 0.469 mm (120 × 240 mm), 12–16
// slices. Size Small: 64 × 112 voxels of 1.2 mm (77 × 134 mm), 8–12
// slices: skull base to about C7, small enough for the
// quick profile. The foramen magnum lies 15 mm (Small) or 30 mm (Paper)
// below the top of the field of view; the cord runs from there out of the
// bottom edge (Paper: about T3–T4; the conus at L1 lies outside a 240 mm
// field of view, so it is not drawn). Each image voxel averages 3 samples
// through the slice thickness and, for Small, 2 × 2 in-plane samples
// (partial volume); masks are decided at the voxel centre.
//
// # Anatomy (T2 values relative to CSF = 1)
//
// A lordotic canal (anterior bow 2–7 mm) holds an elliptical thecal sac of
// CSF (1.0) around an elliptical cord (0.36, semi-axes about 4 × 6 mm,
// cervical enlargement at C5–C6, medulla widening above the foramen
// magnum) with a dark dural rim. Anterior: vertebral bodies (marrow 0.42
// with texture, cortex and endplates 0.10) C2–T4, discs (nucleus 0.70,
// annulus 0.25), prevertebral muscle, the airway (0.02), neck soft tissue
// and fat. Posterior: laminae, spinous processes (longer at C2 and C7),
// interspinous ligament, muscles with fat planes, subcutaneous fat. Above
// the foramen magnum: clivus, brain tissue and occipital bone. Anatomy
// (sizes, curvature, slice count, midline offset) varies per patient.
//
// # Injury
//
// Each patient has, centred 45–90 mm below the foramen magnum (C3–C6):
//   - oedema: a T2-hyperintense region of the cord of length L
//     (log-normal, median 18 mm, clipped to 6–55 mm) occupying a fraction
//     W ∈ [0.45, 0.95] of the cord cross-section, brightened by 0.55·E,
//     E ∈ [0.45, 1]; its boundary is irregular (smooth noise, ±15 % of the
//     length, ±20 % of the width);
//   - haemorrhage: heterogeneity H ∈ [0, 1] darkens up to 75 % of the
//     oedema in T2-dark foci (smooth noise, 2.5 mm grain);
//   - compression (60 % of patients): C ∈ [0.05, 0.55], a disc or bone
//     spur narrowing the canal's AP diameter by the fraction C over about
//     ±6 mm, flattening and pushing the cord;
//   - swelling S ∈ [0, 0.3]: the cord widens by the factor 1 + S over
//     the lesion;
//   - whole-cord texture X ∈ [0, 1]: diffuse mottling (±18 %·X, 1.6 mm
//     grain) of the entire cord, visible in the "rest of the cord" ROI.
//
// Labels: 1 = the injured cord (oedema membership ≥ 0.5), 2 = the rest of
// the cord. The second rater's mask moves the cord boundary by ±7 % of
// the radius (smooth noise plus a per-patient bias of SD 3 %) and the
// lesion boundary by a field correlated 0.6 with the true irregularity
// plus a per-patient bias of SD 6 % of the extent.
//
// # Outcome model
//
// A latent severity combines the standardised injury parameters with
// non-imaging noise:
//
//	severity = 0.8·z(log L) + 0.5·z(W) + 0.6·z(H) + 0.6·z(C) + 0.5·z(X) + 0.3·z(S) + 0.7·ε,  ε ~ N(0, 1)
//
// where z standardises by the population mean and SD of the parameter. The
// round(n·49/82) least severe patients have a good prognosis (49 of 82).
// The change δ = uems_admission − uems_1y is then drawn so that the
// paper's rule (good when δ is below the cohort mean of δ) gives exactly
// these classes: good patients improve by 5 points or more (δ ≤ −5, mean
// about −8), poor ones by at most 4 (δ ≥ −4), monotone in severity within
// each class, and single points are moved until the cohort mean is the
// paper's threshold −4.55 to the nearest 1/n (always inside (−5, −4)). Oedema brightness E and the
// lesion level carry no signal.
//
// # Clinical table
//
// Within each class, sex, cause, ASIA grade at admission and at one year
// have exactly the paper's Table 1 counts (scaled by largest remainders
// when n ≠ 82), randomly assigned; age, days to surgery (log-normal) and
// UEMS at admission are drawn and affinely matched to the paper's group
// means and SDs, then rounded to integers and clamped (age 18–90, UEMS
// 0–50; good patients' admission UEMS ≤ 45 to leave room to improve).
// ASIA grades follow the UEMS rank within a class (lower score, worse
// grade). Demographics are independent of the images given the class, so
// they carry only the paper's own (non-significant) group differences.
//
// The paper's Table 1 is not internally consistent with its rule: its
// group means of UEMS at admission and at one year imply mean changes of
// −11.9 (good) and −10.7 (poor) around a cohort mean of −11.4, which no
// integer scores can split as the rule demands, and its stated threshold
// is −4.55. The generator keeps the rule, the class sizes, the threshold
// near −4.55 and the admission scores; UEMS at one year therefore differs
// between classes more than in the paper.
//
// # Centres
//
// Three centres (35/38/9 of 82, shuffled independently of the outcome)
// differ as scanners with different TR/TE and coils: contrast (tissue
// value t becomes t^γ, γ = 1.0, 0.75, 1.3), intensity scale (1100, 2600,
// 750 for CSF) and offset (0, 80, 30), Rician noise (2, 3, 4.5 % of the
// scale) and a smooth multiplicative bias field exp(a·SI + b·AP² + c·LR);
// scale and bias vary a little per patient.
//
// # Determinism
//
// Every draw comes from math/rand/v2 PCG sources seeded with Options.Seed:
// one stream for the cohort plan and one per patient for rendering, so the
// files are byte-identical for a seed whatever the number of workers
// (gzip without time stamps).
package synth
