// itkfilters: the two SimpleITK filters pyradiomics calls, run through ITK
// itself with SimpleITK's pixel types (input read as double, which holds
// int16 and float32 voxels exactly; output float, as SimpleITK's
// LaplacianRecursiveGaussian and GradientMagnitude give):
//
//   itkfilters log|gradient NX NY NZ SX SY SZ PARAM in.f64 out.f32
//
// PARAM is sigma (mm) for log (NormalizeAcrossScale on, as pyradiomics sets
// it) and 1/0 for gradient (UseImageSpacing). Raw files are x-fastest.
// Build (Debian libinsighttoolkit5-dev 5.2.1): g++ -O2 -I/usr/include/ITK-5.2 itkfilters.cxx -o itkfilters -L/usr/lib \
//          -lITKSmoothing-5.2 -lITKCommon-5.2 -litksys-5.2 -litkvnl-5.2 -litkvnl_algo-5.2 -lpthread
#include "itkGradientMagnitudeImageFilter.h"
#include "itkImage.h"
#include "itkImportImageFilter.h"
#include "itkLaplacianRecursiveGaussianImageFilter.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using In = itk::Image<double, 3>;
using Out = itk::Image<float, 3>;

int main(int argc, char **argv) {
  if (argc != 11) {
    std::fprintf(stderr, "usage: itkfilters log|gradient NX NY NZ SX SY SZ PARAM in out\n");
    return 2;
  }
  In::SizeType size;
  In::SpacingType spacing;
  for (int a = 0; a < 3; a++) {
    size[a] = std::atoi(argv[2 + a]);
    spacing[a] = std::atof(argv[5 + a]);
  }
  const double param = std::atof(argv[8]);
  const size_t n = size[0] * size[1] * size[2];
  std::vector<double> buf(n);
  FILE *f = std::fopen(argv[9], "rb");
  if (!f || std::fread(buf.data(), sizeof(double), n, f) != n) {
    std::fprintf(stderr, "itkfilters: cannot read %s\n", argv[9]);
    return 1;
  }
  std::fclose(f);
  In::Pointer img = In::New();
  In::RegionType region;
  region.SetSize(size);
  img->SetRegions(region);
  img->SetSpacing(spacing);
  img->Allocate();
  std::memcpy(img->GetBufferPointer(), buf.data(), n * sizeof(double));
  Out::Pointer out;
  if (std::strcmp(argv[1], "log") == 0) {
    auto flt = itk::LaplacianRecursiveGaussianImageFilter<In, Out>::New();
    flt->SetInput(img);
    flt->SetNormalizeAcrossScale(true);
    flt->SetSigma(param);
    flt->Update();
    out = flt->GetOutput();
  } else {
    auto flt = itk::GradientMagnitudeImageFilter<In, Out>::New();
    flt->SetInput(img);
    flt->SetUseImageSpacing(param != 0);
    flt->Update();
    out = flt->GetOutput();
  }
  f = std::fopen(argv[10], "wb");
  std::fwrite(out->GetBufferPointer(), sizeof(float), n, f);
  std::fclose(f);
  return 0;
}
