// Package toy is what scirad's notebooks share: the small synthetic cohort
// they all run on, the quick settings that keep every notebook to seconds
// or a minute on two CPU cores, and on-disk caches of the expensive results
// (the cohort's radiomics tables) that later notebooks reuse.
//
// GoNB runs each notebook cell as a new process, so these caches are files:
// each helper computes its result the first time and reads it afterwards.
// Every file is written to a temporary name and renamed into place, so two
// notebooks executed at once (the notebook test runs two) never see half a
// file; when both compute the same result, the last rename wins and both
// results are identical, because every random choice is seeded.
//
// The folder is $SCIRAD_NOTEBOOK_OUT when set (the notebook test points it
// to a fresh temporary folder), otherwise out/notebooks at the repository
// root.
package toy
