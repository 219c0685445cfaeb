package shape

// diameters computes the four squared diameters from a list of mesh
// vertices (half voxels, as grid.sweep lists them): the line extremes taken
// from the list, then the same hulls as Compute. The tests that compare the
// diameters with the all-pairs search call it.
func (g *grid) diameters(pts [][3]int32) diameters {
	var l lines
	l.fromVertices(g.n, pts)
	return l.diameters(g.spacing, g.n)
}
