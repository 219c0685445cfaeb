package filter

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// IBSIPrefix starts the image type name of an IBSI chapter 2 filter. The
// name is the filter's specification: "ibsi-<kind>" and then
// space-separated key=value settings and flags, e.g. (as an imageType key of
// a params YAML)
//
//	ibsi-mean size=5 boundary=nearest
//	ibsi-log sigma=1.5 truncate=4
//	ibsi-laws kernels=L5E5E5 delta=7 invariant pooling=max
//	ibsi-gabor sigma=5 gamma=1.5 lambda=2 theta=0 step=22.5 invariant 2d
//	ibsi-wavelet wavelet=db3 set=LLH level=1 invariant
//	ibsi-simoncelli level=2
//	ibsi-riesz-log sigma=3 order=1,0,0
//
// Keys: size, sigma (mm), truncate (σ, default 4), kernels, delta (energy
// map distance; implies energy), energy, lambda (mm), gamma, theta
// (degrees), step (θ step, degrees), wavelet, set, level, order (Riesz,
// x,y,z), pooling (max, min, mean), boundary (constant, nearest, periodic,
// mirror; default mirror). Flags: invariant (rotation invariance), energy,
// 2d (each axial slice on its own; pyradiomics' force2D settings do not
// apply to these filters). The derived image is named by IBSI.Name
// (ibsi-log-sigma-1-5-mirror-3D, …).
const IBSIPrefix = "ibsi-"

// ParseIBSIType reads an IBSI image type name (see IBSIPrefix).
func ParseIBSIType(spec string) (IBSI, error) {
	fields := strings.Fields(spec)
	if len(fields) == 0 || !strings.HasPrefix(strings.ToLower(fields[0]), IBSIPrefix) {
		return IBSI{}, fmt.Errorf("IBSI filter %q: want %s<kind> (kinds: %s) and key=value settings", spec, IBSIPrefix, strings.Join(IBSIKinds, ", "))
	}
	f := IBSI{Kind: strings.ToLower(strings.TrimPrefix(strings.ToLower(fields[0]), IBSIPrefix)), Boundary: BoundaryMirror}
	if !slices.Contains(IBSIKinds, f.Kind) {
		return IBSI{}, fmt.Errorf("IBSI filter %q: kind %q unknown (known: %s)", spec, f.Kind, strings.Join(IBSIKinds, ", "))
	}
	num := func(key, v string, dst *float64) error {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("IBSI filter %q: %s=%q is not a number", spec, key, v)
		}
		*dst = x
		return nil
	}
	integer := func(key, v string, dst *int) error {
		x, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("IBSI filter %q: %s=%q is not an integer", spec, key, v)
		}
		*dst = x
		return nil
	}
	for _, fd := range fields[1:] {
		key, val, hasVal := strings.Cut(fd, "=")
		key = strings.ToLower(key)
		if !hasVal {
			switch key {
			case "invariant":
				f.RotationInvariant = true
			case "energy":
				f.Energy = true
			case "2d":
				f.TwoD = true
			case "3d":
				f.TwoD = false
			default:
				return IBSI{}, fmt.Errorf("IBSI filter %q: flag %q unknown (flags: invariant, energy, 2d)", spec, fd)
			}
			continue
		}
		var err error
		switch key {
		case "size":
			err = integer(key, val, &f.Size)
		case "sigma":
			err = num(key, val, &f.Sigma)
		case "truncate":
			err = num(key, val, &f.Truncate)
		case "kernels":
			f.Kernels = strings.ToUpper(val)
		case "delta":
			f.Energy = true
			err = integer(key, val, &f.Delta)
		case "lambda":
			err = num(key, val, &f.Lambda)
		case "gamma":
			err = num(key, val, &f.Gamma)
		case "theta":
			err = num(key, val, &f.Theta)
		case "step":
			err = num(key, val, &f.ThetaStep)
		case "wavelet":
			f.Wavelet = strings.ToLower(val)
		case "set":
			f.Set = strings.ToUpper(val)
		case "level":
			err = integer(key, val, &f.Level)
		case "pooling":
			f.Pooling = strings.ToLower(val)
		case "boundary":
			if f.Boundary, err = ParseBoundary(val); err != nil {
				err = fmt.Errorf("IBSI filter %q: %w", spec, err)
			}
		case "order":
			f.RieszOrder = nil
			for _, o := range strings.Split(val, ",") {
				var x int
				if err = integer(key, o, &x); err != nil {
					break
				}
				f.RieszOrder = append(f.RieszOrder, x)
			}
		default:
			err = fmt.Errorf("IBSI filter %q: key %q unknown (keys: size, sigma, truncate, kernels, delta, lambda, gamma, theta, step, wavelet, set, level, pooling, boundary, order)", spec, key)
		}
		if err != nil {
			return IBSI{}, err
		}
	}
	if err := f.Validate(); err != nil {
		return IBSI{}, fmt.Errorf("IBSI filter %q: %w", spec, err)
	}
	return f, nil
}

// IBSITypeError explains why an image type name that starts with
// IBSIPrefix is not a valid IBSI filter; nil for any other name.
func IBSITypeError(typ string) error {
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(typ)), IBSIPrefix) {
		return nil
	}
	_, err := ParseIBSIType(typ)
	return err
}

// Name is the derived image's name: the kind and its settings joined by
// hyphens, '.' written '-' as pyradiomics names its LoG images.
func (f IBSI) Name() string {
	num := func(x float64) string {
		return strings.ReplaceAll(strconv.FormatFloat(x, 'g', -1, 64), ".", "-")
	}
	parts := []string{"ibsi", f.Kind}
	switch f.Kind {
	case "mean":
		parts = append(parts, "size", strconv.Itoa(f.Size))
	case "log", "riesz-log":
		parts = append(parts, "sigma", num(f.Sigma))
		if f.Truncate != 0 && f.Truncate != 4 {
			parts = append(parts, "truncate", num(f.Truncate))
		}
	case "laws":
		parts = append(parts, f.Kernels)
		if f.Energy {
			parts = append(parts, "energy", "delta", strconv.Itoa(f.Delta))
		}
	case "gabor":
		parts = append(parts, "sigma", num(f.Sigma), "gamma", num(f.Gamma), "lambda", num(f.Lambda), "theta", num(f.Theta))
		if f.ThetaStep > 0 {
			parts = append(parts, "step", num(f.ThetaStep))
		}
	case "wavelet":
		parts = append(parts, f.Wavelet, f.Set, "level", strconv.Itoa(f.Level))
	case "simoncelli", "riesz-simoncelli":
		parts = append(parts, "level", strconv.Itoa(f.Level))
	}
	if f.RieszOrder != nil {
		o := make([]string, len(f.RieszOrder))
		for i, x := range f.RieszOrder {
			o[i] = strconv.Itoa(x)
		}
		parts = append(parts, "order", strings.Join(o, ""))
	}
	if f.RotationInvariant {
		parts = append(parts, "invariant", f.pooling())
	}
	if f.Kind != "simoncelli" && f.Kind != "riesz-simoncelli" {
		parts = append(parts, f.Boundary.String())
	}
	if f.TwoD {
		parts = append(parts, "2D")
	} else {
		parts = append(parts, "3D")
	}
	return strings.Join(parts, "-")
}
