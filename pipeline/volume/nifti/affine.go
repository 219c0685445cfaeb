package nifti

import (
	"math"

	"github.com/scirad/scirad/pipeline/volume"
)

const maxVoxels = volume.MaxVoxels

// Affine is a 4×4 voxel-to-world matrix in NIfTI's RAS+ frame (mm);
// the last row is (0, 0, 0, 1).
type Affine [4][4]float64

// Affine returns the voxel-to-world matrix chosen as nibabel's
// get_best_affine does (see the package doc): sform, else qform, else the
// pixdim-only base affine.
func (h *Header) Affine() Affine {
	switch {
	case validXform(h.SformCode):
		var a Affine
		a[0], a[1], a[2] = h.Srow[0], h.Srow[1], h.Srow[2]
		a[3][3] = 1
		return a
	case validXform(h.QformCode):
		return h.QformAffine()
	}
	return h.baseAffine()
}

// validXform reports whether an xform code names a transform: 1..5
// (scanner, aligned, Talairach, MNI, template). nibabel resets any other
// code to 0 (unknown) when it loads a header, so such a transform is
// ignored.
func validXform(code int32) bool { return code >= 1 && code <= 5 }

// zooms are pixdim[1..3] as nibabel's header fixer leaves them: |pixdim|,
// with 0 read as 1.
func (h *Header) zooms() [3]float64 {
	var z [3]float64
	for k := range 3 {
		z[k] = math.Abs(h.Pixdim[k+1])
		if z[k] == 0 || math.IsNaN(z[k]) {
			z[k] = 1
		}
	}
	return z
}

// QformAffine is the affine of the quaternion fields, whatever qform_code
// says:
//
//	A = [R(a,b,c,d) · diag(pixdim1, pixdim2, qfac·pixdim3) | qoffset]
//	a = √(1 − b² − c² − d²)
//
// When b² + c² + d² > 1 (rounding in the file), (b, c, d) is normalised and
// a = 0, as nifti1_io does.
func (h *Header) QformAffine() Affine {
	b, c, d := h.Quatern[0], h.Quatern[1], h.Quatern[2]
	var a float64
	if w2 := 1 - (b*b + c*c + d*d); w2 > 0 {
		a = math.Sqrt(w2)
	} else if n := math.Sqrt(b*b + c*c + d*d); n > 0 {
		b, c, d = b/n, c/n, d/n
	}
	r := [3][3]float64{
		{a*a + b*b - c*c - d*d, 2 * (b*c - a*d), 2 * (b*d + a*c)},
		{2 * (b*c + a*d), a*a + c*c - b*b - d*d, 2 * (c*d - a*b)},
		{2 * (b*d - a*c), 2 * (c*d + a*b), a*a + d*d - c*c - b*b},
	}
	z := h.zooms()
	if h.Pixdim[0] < 0 {
		z[2] = -z[2]
	}
	var A Affine
	for i := range 3 {
		for j := range 3 {
			A[i][j] = r[i][j] * z[j]
		}
		A[i][3] = h.Qoffset[i]
	}
	A[3][3] = 1
	return A
}

// baseAffine is nibabel's pixdim-only affine: x flipped, the volume's
// centre voxel at the world origin.
func (h *Header) baseAffine() Affine {
	z := h.zooms()
	z[0] = -z[0]
	d := h.Dims()
	var A Affine
	for k := range 3 {
		A[k][k] = z[k]
		A[k][3] = -float64(d[k]-1) / 2 * z[k]
	}
	A[3][3] = 1
	return A
}

// Grid returns the volume geometry of the header: spacing = column norms
// of Affine(), direction = the normalised columns, origin = the
// translation, all converted from RAS to LPS by negating the first two
// rows.
func (h *Header) Grid() (volume.Grid, error) {
	A := h.Affine()
	g := volume.Grid{Dims: h.Dims()}
	for c := range 3 {
		n := math.Sqrt(A[0][c]*A[0][c] + A[1][c]*A[1][c] + A[2][c]*A[2][c])
		if n == 0 || math.IsNaN(n) || math.IsInf(n, 0) {
			field := "srow"
			if !validXform(h.SformCode) {
				field = "pixdim"
			}
			return g, formatErr(field, "affine column %d is %v: want a finite non-zero voxel axis", c, [3]float64{A[0][c], A[1][c], A[2][c]})
		}
		g.Spacing[c] = n
		for r := range 3 {
			g.Direction[3*r+c] = lpsSign[r] * A[r][c] / n
		}
	}
	for r := range 3 {
		t := A[r][3]
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return g, formatErr("srow/qoffset", "translation %d is %g: want a finite value", r, t)
		}
		g.Origin[r] = lpsSign[r] * t
	}
	if err := g.Check(); err != nil {
		field := "srow"
		if !validXform(h.SformCode) {
			field = "qform/pixdim"
		}
		return g, formatErr(field, "%v", err)
	}
	return g, nil
}

// lpsSign converts RAS to LPS (and back): negate x and y.
var lpsSign = [3]float64{-1, -1, 1}

// gridAffine is the RAS affine of an LPS grid.
func gridAffine(g volume.Grid) Affine {
	var A Affine
	for r := range 3 {
		for c := range 3 {
			A[r][c] = lpsSign[r] * g.Direction[3*r+c] * g.Spacing[c]
		}
		A[r][3] = lpsSign[r] * g.Origin[r]
	}
	A[3][3] = 1
	return A
}

// quaternion finds the qform parameters of an LPS direction matrix: the
// quaternion (b, c, d) of R, the RAS rotation, and qfac = −1 when the
// direction matrix is a reflection (R's third column then negated). ok is
// false when the matrix is not orthonormal within 1e-4, so that a qform
// cannot represent it.
func quaternion(dir [9]float64) (bcd [3]float64, qfac float64, ok bool) {
	var m [3][3]float64
	for r := range 3 {
		for c := range 3 {
			m[r][c] = lpsSign[r] * dir[3*r+c]
		}
	}
	// Orthonormal columns?
	for i := range 3 {
		for j := range 3 {
			dot := m[0][i]*m[0][j] + m[1][i]*m[1][j] + m[2][i]*m[2][j]
			want := 0.0
			if i == j {
				want = 1
			}
			if math.Abs(dot-want) > 1e-4 {
				return bcd, 0, false
			}
		}
	}
	det := m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) -
		m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) +
		m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	qfac = 1
	if det < 0 {
		qfac = -1
		for r := range 3 {
			m[r][2] = -m[r][2]
		}
	}
	// Shepperd's method: pick the largest of 4a², 4b², 4c², 4d² for stability.
	tr := m[0][0] + m[1][1] + m[2][2]
	var a, b, c, d float64
	switch {
	case tr > 0:
		s := 2 * math.Sqrt(1+tr)
		a = s / 4
		b = (m[2][1] - m[1][2]) / s
		c = (m[0][2] - m[2][0]) / s
		d = (m[1][0] - m[0][1]) / s
	case m[0][0] > m[1][1] && m[0][0] > m[2][2]:
		s := 2 * math.Sqrt(1+m[0][0]-m[1][1]-m[2][2])
		a = (m[2][1] - m[1][2]) / s
		b = s / 4
		c = (m[0][1] + m[1][0]) / s
		d = (m[0][2] + m[2][0]) / s
	case m[1][1] > m[2][2]:
		s := 2 * math.Sqrt(1+m[1][1]-m[0][0]-m[2][2])
		a = (m[0][2] - m[2][0]) / s
		b = (m[0][1] + m[1][0]) / s
		c = s / 4
		d = (m[1][2] + m[2][1]) / s
	default:
		s := 2 * math.Sqrt(1+m[2][2]-m[0][0]-m[1][1])
		a = (m[1][0] - m[0][1]) / s
		b = (m[0][2] + m[2][0]) / s
		c = (m[1][2] + m[2][1]) / s
		d = s / 4
	}
	if a < 0 { // a is implicit and non-negative in NIfTI
		b, c, d = -b, -c, -d
	}
	return [3]float64{b, c, d}, qfac, true
}
