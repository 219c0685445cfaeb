package ibsi

// distance returns each voxel's city-block distance to the outside of the
// morphological mask (0 outside, 1 on its border), within each slice
// (4-connected steps) or in 3D (6-connected). Outside the box counts as
// outside the mask. Two raster passes give the exact city-block distance.
func (g *grid) distance(in3D bool) []int32 {
	nx, ny, nz := g.nx, g.ny, g.nz
	sl := nx * ny
	d := make([]int32, len(g.morph))
	at := func(ok bool, k int) int32 {
		if !ok {
			return 0
		}
		return d[k]
	}
	for z := range nz {
		for y := range ny {
			for x := range nx {
				k := x + nx*y + sl*z
				if !g.morph[k] {
					continue
				}
				v := min(at(x > 0, k-1), at(y > 0, k-nx)) + 1
				if in3D {
					v = min(v, at(z > 0, k-sl)+1)
				}
				d[k] = v
			}
		}
	}
	for z := nz - 1; z >= 0; z-- {
		for y := ny - 1; y >= 0; y-- {
			for x := nx - 1; x >= 0; x-- {
				k := x + nx*y + sl*z
				if !g.morph[k] {
					continue
				}
				v := min(d[k], at(x < nx-1, k+1)+1, at(y < ny-1, k+nx)+1)
				if in3D {
					v = min(v, at(z < nz-1, k+sl)+1)
				}
				d[k] = v
			}
		}
	}
	return d
}

// label finds the zones (connected voxels of one level: 8-connected in a
// slice, 26-connected in 3D) of slices z0..z1-1 and calls emit with each
// zone's level, size and smallest distance in dist. seen must be false on
// those slices.
func (g *grid) label(z0, z1 int, in3D bool, dist []int32, seen []bool, emit func(a int32, size int, d int32)) {
	nx, ny := g.nx, g.ny
	sl := nx * ny
	var stack []int
	for k := sl * z0; k < sl*z1; k++ {
		a := g.lev[k]
		if a == 0 || seen[k] {
			continue
		}
		seen[k] = true
		stack = append(stack[:0], k)
		size := 0
		dmin := dist[k]
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			size++
			dmin = min(dmin, dist[v])
			x, y, z := v%nx, (v/nx)%ny, v/sl
			for dz := -1; dz <= 1; dz++ {
				if dz != 0 && !in3D {
					continue
				}
				zz := z + dz
				if zz < z0 || zz >= z1 {
					continue
				}
				for dy := -1; dy <= 1; dy++ {
					yy := y + dy
					if yy < 0 || yy >= ny {
						continue
					}
					for dx := -1; dx <= 1; dx++ {
						xx := x + dx
						if xx < 0 || xx >= nx {
							continue
						}
						w := xx + nx*yy + sl*zz
						if !seen[w] && g.lev[w] == a {
							seen[w] = true
							stack = append(stack, w)
						}
					}
				}
			}
		}
		emit(a, size, dmin)
	}
}

// zones writes the szm_ and dzm_ features in the 2D, 2_5D and 3D
// aggregations.
func (g *grid) zones(out map[string]float64) {
	seen := make([]bool, len(g.lev))
	var szm2D, dzm2D mean
	szm25, dzm25 := newSparse(), newSparse()
	dist := g.distance(false)
	for z := range g.nz {
		nv := g.voxels(z, z+1)
		if nv == 0 {
			continue
		}
		s, d := newSparse(), newSparse()
		s.nv, d.nv = nv, nv
		g.label(z, z+1, false, dist, seen, func(a int32, size int, dm int32) {
			s.c[[2]int32{a, int32(size)}]++
			d.c[[2]int32{a, max(dm, 1)}]++
		})
		szm2D.add(zoneFeatures(s, g.val))
		dzm2D.add(zoneFeatures(d, g.val))
		szm25.add(s)
		dzm25.add(d)
	}
	clear(seen)
	dist = g.distance(true)
	szm3, dzm3 := newSparse(), newSparse()
	szm3.nv = g.voxels(0, g.nz)
	dzm3.nv = szm3.nv
	g.label(0, g.nz, true, dist, seen, func(a int32, size int, dm int32) {
		szm3.c[[2]int32{a, int32(size)}]++
		dzm3.c[[2]int32{a, max(dm, 1)}]++
	})
	szm2D.put(out, "szm_", szmNames, "2D")
	dzm2D.put(out, "dzm_", dzmNames, "2D")
	put(out, "szm_", szmNames, "2_5D", zoneFeatures(szm25, g.val))
	put(out, "dzm_", dzmNames, "2_5D", zoneFeatures(dzm25, g.val))
	put(out, "szm_", szmNames, "3D", zoneFeatures(szm3, g.val))
	put(out, "dzm_", dzmNames, "3D", zoneFeatures(dzm3, g.val))
}
