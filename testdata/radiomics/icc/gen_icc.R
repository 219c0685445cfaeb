# Regenerates icc_fixtures.csv: psych::ICC(x, lmer = FALSE) on the ratings in
# icc_inputs.csv. Tools: R 4.2.2, psych 2.2.9 (Debian bookworm r-cran-psych).
# Command (from the repository root):
#   Rscript testdata/radiomics/icc/gen_icc.R
suppressMessages(library(psych))
dir <- "testdata/radiomics/icc"
inp <- read.csv(file.path(dir, "icc_inputs.csv"))
out <- NULL
for (case in unique(inp$case)) {
  d <- inp[inp$case == case, ]
  x <- as.matrix(d[, grep("^r", names(d))])
  x <- x[, colSums(is.na(x)) == 0, drop = FALSE]
  r <- ICC(x, lmer = FALSE, alpha = 0.05)
  res <- r$results
  for (i in seq_len(nrow(res))) {
    out <- rbind(out, data.frame(case = case, type = res$type[i], ICC = res$ICC[i], F = res$F[i],
      df1 = res$df1[i], df2 = res$df2[i], p = res$p[i],
      lower = res[i, "lower bound"], upper = res[i, "upper bound"]))
  }
}
write.csv(format(out, digits = 17), file.path(dir, "icc_fixtures.csv"), row.names = FALSE, quote = FALSE)
