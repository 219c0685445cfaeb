package shape

// The marching-cubes tables, in pyradiomics' conventions.
//
// A cube is the 2×2×2 block of voxels whose lowest corner is voxel (z, y, x)
// of the padded mask (pyradiomics indexes arrays (z, y, x) = our (k, j, i),
// and this file keeps that order so that every sum runs exactly as in
// pyradiomics). Its corners p0…p7 sit at these (dz, dy, dx) offsets; bit n
// of the cube index is set when corner pn is inside the ROI:
//
//	p0 (0,0,0)  p1 (0,0,1)  p2 (0,1,1)  p3 (0,1,0)
//	p4 (1,0,0)  p5 (1,0,1)  p6 (1,1,1)  p7 (1,1,0)
//
// Edge e joins two corners; a mesh vertex on it lies at its midpoint, given
// here as (z, y, x) offsets from the cube's lowest corner:
//
//	e0 p0–p1  e1 p1–p2  e2 p2–p3   e3 p3–p0
//	e4 p4–p5  e5 p5–p6  e6 p6–p7   e7 p7–p4
//	e8 p0–p4  e9 p1–p5  e10 p2–p6  e11 p3–p7
var edgeMidpoint = [12][3]float64{
	{0, 0, 0.5}, {0, 0.5, 1}, {0, 1, 0.5}, {0, 0.5, 0},
	{1, 0, 0.5}, {1, 0.5, 1}, {1, 1, 0.5}, {1, 0.5, 0},
	{0.5, 0, 0}, {0.5, 0, 1}, {0.5, 1, 1}, {0.5, 1, 0},
}

// triangles lists, for each cube index 0…127, the triangles of the surface
// inside that cube: every three hexadecimal digits name the edges (0…b)
// holding one triangle's vertices a, b, c, ordered so that the signed
// tetrahedron volume a·(b×c)/6, in (z, y, x) coordinates, counts the ROI
// positively. An index ≥ 128 uses the entry of its complement (index XOR
// 255) with the sign of the volume reversed, as pyradiomics does; corner p7
// is therefore never inside for a looked-up index.
//
// The data are pyradiomics' triTable (radiomics/src/cshape.c at commit
// 8ed5793, BSD-3-Clause, Copyright 2017 Harvard Medical School), itself a
// reordering of the classic table of Lorensen & Cline (1987) as tabulated by
// P. Bourke ("Polygonising a scalar field", 1994). They are kept as data,
// re-encoded, because the surface area of a non-planar polygon depends on how
// it is cut into triangles: any other table gives other areas.
var triangles = [128]string{
	"", "083", "190", "183198", "12a", "08312a", "92a029", "2832a8a98", // 0–7
	"b23", "b2008b", "190b23", "b2119b98b", "3a1ba3", "a1008a8ba", "9033b9ba9", "98aba8", // 8–15
	"478", "043473", "190478", "194147173", "12a478", "34730412a", "92a902478", "2a9297273479", // 16–23
	"478b23", "b47b24204", "190478b23", "47b94bb29192", "3a1ba3478", "ba114b10447b", "4789033b9ba9", "47b4b99ba", // 24–31
	"954", "954083", "054015", "854835315", "12a954", "08312a954", "2a5542240", "2a5325354834", // 32–39
	"954b23", "b2008b954", "054015b23", "215258b28548", "3a1ba3954", "549a1008a8ba", "54050ba5bb03", "548a58ba8", // 40–47
	"789579", "309539357", "780017715", "157173", "78957912a", "12a309395357", "0288258572a5", "2a5253357", // 48–55
	"579789b23", "579972209b27", "b23018178157", "21b17b157", "7895793a1ba3", "5705097b0a10ba0", "ba003ba50078570", "ba557b", // 56–63
	"65a", "08365a", "19065a", "18319865a", "165126", "165126083", "965906026", "598582526832", // 64–71
	"b2365a", "b2008b65a", "190b2365a", "b2119b98b65a", "63b653513", "08b0b50515b6", "63b036065059", "65969bb98", // 72–79
	"47865a", "04347365a", "19047865a", "19414717365a", "478165126", "043473165126", "478965906026", "739479329596269", // 80–87
	"b2347865a", "b47b2420465a", "190b2347865a", "47b94bb2919265a", "47863b653513", "51b5b610b47b04b", "47863b036065059", "65969b4797b9", // 88–95
	"a4964a", "a4964a083", "01aa60640", "18316886461a", "149124264", "149124264083", "024426", "832824426", // 96–103
	"b23a4964a", "b2008ba4964a", "b2301aa60640", "64161a148b2118b", "964369139b63", "18b081b61149641", "63b036640", "86468b", // 104–111
	"67a78a89a", "67a0a709a073", "67a1a7178018", "67a1a7173", "126168189678", "269129679309739", "078706602", "273267", // 112–119
	"b2367a78a89a", "207b2709767a9a7", "67a1a7178018b23", "b2117ba61167", "896678169b63136", "09167b", "07870603bb60", "67b", // 120–127
}
