package shape

import "math"

// ConvexHull returns the volume (mm³) and surface area (mm²) of the convex
// hull of the ROI's marching-cubes mesh vertices (the edge midpoints Compute
// builds its mesh from), for IBSI's convex-hull volume and area densities.
// The hull is found by the same exact quickhull as the diameters. Arguments
// and errors are Compute's; points that are all coplanar give 0, 0.
func ConvexHull(mask []bool, dims [3]int, spacing [3]float64) (volume, area float64, err error) {
	g, err := newGrid(mask, dims, spacing)
	if err != nil {
		return 0, 0, err
	}
	_, _, verts := g.sweep()
	pts := make([][3]int64, len(verts))
	for i, v := range verts {
		pts[i] = [3]int64{int64(v[0]), int64(v[1]), int64(v[2])}
	}
	h := newQuickhull(pts)
	if h == nil {
		return 0, 0, nil
	}
	h.run()
	at := func(i int32) [3]float64 {
		p := pts[i]
		return g.physical([3]int32{int32(p[0]), int32(p[1]), int32(p[2])})
	}
	for _, f := range h.faces {
		if f.dead {
			continue
		}
		a, b, c := at(f.v[0]), at(f.v[1]), at(f.v[2])
		area += 0.5 * math.Sqrt(norm2(cross(sub(b, a), sub(c, a))))
		volume += dot(a, cross(b, c))
	}
	return math.Abs(volume) / 6, area, nil
}
