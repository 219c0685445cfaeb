package shape

// ConvexHullOf returns the convex hull of the ROI's marching-cubes mesh
// vertices (the edge midpoints Compute builds its mesh from), found by the
// same exact quickhull as the diameters, as a triangle mesh in Mesh's
// coordinates (mm along i, j, k from the centre of voxel (0, 0, 0)),
// outward-facing. Arguments and errors are Compute's; vertices that are all
// coplanar give a hull without triangles.
func ConvexHullOf(mask []bool, dims [3]int, spacing [3]float64) (*TriangleMesh, error) {
	g, err := newGrid(mask, dims, spacing)
	if err != nil {
		return nil, err
	}
	_, _, verts := g.sweep()
	pts := make([][3]int64, len(verts))
	for i, v := range verts {
		pts[i] = [3]int64{int64(v[0]), int64(v[1]), int64(v[2])}
	}
	hull := &TriangleMesh{}
	h := newQuickhull(pts)
	if h == nil {
		return hull, nil
	}
	h.run()
	ids := map[int32]int32{}
	at := func(i int32) int32 {
		if id, ok := ids[i]; ok {
			return id
		}
		id := int32(len(hull.Vertices))
		ids[i] = id
		p := pts[i] // half voxels (z, y, x) of the padded grid
		hull.Vertices = append(hull.Vertices, [3]float64{
			(float64(p[2])/2 - 1) * spacing[0],
			(float64(p[1])/2 - 1) * spacing[1],
			(float64(p[0])/2 - 1) * spacing[2],
		})
		return id
	}
	for _, f := range h.faces {
		if f.dead {
			continue
		}
		// (z, y, x) → (x, y, z) reverses orientation.
		hull.Triangles = append(hull.Triangles, [3]int32{at(f.v[0]), at(f.v[2]), at(f.v[1])})
	}
	return hull, nil
}

// ConvexHull returns the volume (mm³) and surface area (mm²) of
// ConvexHullOf's hull, for IBSI's convex-hull volume and area densities.
func ConvexHull(mask []bool, dims [3]int, spacing [3]float64) (volume, area float64, err error) {
	h, err := ConvexHullOf(mask, dims, spacing)
	if err != nil {
		return 0, 0, err
	}
	return h.Volume(), h.Area(), nil
}
