package ibsi

// countRuns adds the runs along off that start in slices z0..z1-1 to the
// dense ng×nc run length matrix d (column c holds length c+1). A run starts
// at a voxel whose predecessor along off has another level (or is outside
// the ROI); it extends while the level stays the same.
func (g *grid) countRuns(d []float64, nc int, off [3]int, z0, z1 int) {
	for z := z0; z < z1; z++ {
		for y := range g.ny {
			row := g.nx * (y + g.ny*z)
			for x := range g.nx {
				a := g.lev[row+x]
				if a == 0 || g.level(x-off[0], y-off[1], z-off[2]) == a {
					continue
				}
				n := 1
				for g.level(x+n*off[0], y+n*off[1], z+n*off[2]) == a {
					n++
				}
				d[int(a-1)*nc+n-1]++
			}
		}
	}
}

// voxels counts the ROI voxels of slices z0..z1-1.
func (g *grid) voxels(z0, z1 int) float64 {
	n := 0
	for _, l := range g.lev[g.nx*g.ny*z0 : g.nx*g.ny*z1] {
		if l > 0 {
			n++
		}
	}
	return float64(n)
}

// runLengths writes the rlm_ features in their six aggregations.
func (g *grid) runLengths(out map[string]float64) {
	nc := max(g.nx, g.ny, g.nz)
	dense := make([]float64, (len(g.val)-1)*nc)
	var avg2D, comb2D, avg25, avg3D mean
	perDir := make([]*sparse, 13)
	for d := range perDir {
		perDir[d] = newSparse()
	}
	for z := range g.nz {
		nv := g.voxels(z, z+1)
		if nv == 0 {
			continue
		}
		comb := newSparse()
		for d := range 4 {
			clear(dense)
			g.countRuns(dense, nc, directions[d], z, z+1)
			m := newSparse()
			m.addDense(dense, nc, nv)
			avg2D.add(zoneFeatures(m, g.val))
			comb.add(m)
			perDir[d].add(m)
		}
		comb2D.add(zoneFeatures(comb, g.val))
	}
	nv := g.voxels(0, g.nz)
	for d := 4; d < 13; d++ {
		clear(dense)
		g.countRuns(dense, nc, directions[d], 0, g.nz)
		perDir[d].addDense(dense, nc, nv)
	}
	all25, all3 := newSparse(), newSparse()
	for d := range 13 {
		if d < 4 {
			avg25.add(zoneFeatures(perDir[d], g.val))
			all25.add(perDir[d])
		}
		avg3D.add(zoneFeatures(perDir[d], g.val))
		all3.add(perDir[d])
	}
	avg2D.put(out, "rlm_", rlmNames, "2D_avg")
	comb2D.put(out, "rlm_", rlmNames, "2D_comb")
	avg25.put(out, "rlm_", rlmNames, "2_5D_avg")
	put(out, "rlm_", rlmNames, "2_5D_comb", zoneFeatures(all25, g.val))
	avg3D.put(out, "rlm_", rlmNames, "3D_avg")
	put(out, "rlm_", rlmNames, "3D_comb", zoneFeatures(all3, g.val))
}
