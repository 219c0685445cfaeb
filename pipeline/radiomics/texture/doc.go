// Package texture computes pyradiomics' five texture feature families —
// GLCM (24 features), GLRLM (16), GLSZM (16), NGTDM (5) and GLDM (14), the
// default-enabled sets — on a discretised ROI, with pyradiomics' names,
// conventions and numbers (paper step: radiomics feature extraction).
package texture
