// Package radiomics computes pyradiomics-compatible radiomics features of one
// image region: the paper's hand-crafted feature step (Lin et al., Sci Rep
// 2025, Methods "Radiomics feature extraction"), where 107 features of seven
// classes were extracted per image and ROI with pyradiomics.
//
// The package prepares the region (PrepareROI: geometry check, label,
// minimumROIDimensions, crop to the bounding box), discretises it
// (Discretize: pyradiomics' fixed bin width or fixed bin count), computes
// first-order features (FirstOrder) and assembles the shape and texture
// families of packages radiomics/shape and radiomics/texture into one
// registry (Registry) and one extraction (Extract). Settings and ParseParams
// read pyradiomics' params YAML, with its defaults when a key is absent.
package radiomics
