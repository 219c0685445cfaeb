# Regenerates the ComBat golden files in this folder.
#
#   cd testdata/harmonize && Rscript make_fixtures.R
#
# Tools: R 4.2.2, sva 3.46.0 (Debian bookworm r-bioc-sva). sva's ComBat takes
# features in rows and samples in columns; the CSVs here are the transpose
# (one row per patient), as scirad's feature tables are.
suppressMessages(library(sva))

set.seed(20250101)
n.per <- c(A = 12, B = 10, C = 8)
batch <- rep(names(n.per), n.per)
n <- length(batch)
p <- 20
age <- round(rnorm(n, 50, 12), 1)
outcome <- rbinom(n, 1, 0.5)
# Features: a per-feature scale and location, a covariate effect, and
# additive and multiplicative batch effects.
loc <- rnorm(p, 10, 5)
scl <- exp(rnorm(p, 0, 1))
add <- matrix(rnorm(3 * p, 0, 0.8), 3, p)
mul <- matrix(exp(rnorm(3 * p, 0, 0.4)), 3, p)
bi <- match(batch, names(n.per))
X <- matrix(0, n, p)
for (j in 1:p) {
  X[, j] <- loc[j] + scl[j] * (0.03 * (age - 50) + 0.7 * outcome +
    add[bi, j] + mul[bi, j] * rnorm(n))
}
colnames(X) <- sprintf("f%02d", 1:p)
ids <- sprintf("P%02d", 1:n)

fmt <- function(m) apply(m, c(1, 2), function(v) sprintf("%.17g", v))
write.tab <- function(m, file) {
  out <- data.frame(patient_id = ids, center = batch, fmt(m), check.names = FALSE)
  write.csv(out, file, row.names = FALSE, quote = FALSE)
}
inp <- data.frame(patient_id = ids, center = batch, age = sprintf("%.17g", age),
  outcome = outcome, fmt(X), check.names = FALSE)
write.csv(inp, "input.csv", row.names = FALSE, quote = FALSE)

mod <- model.matrix(~ outcome + age)
run <- function(dat, file, ...) {
  res <- ComBat(dat = t(dat), batch = batch, ...)
  write.tab(t(res), file)
}
run(X, "combat_param.csv", par.prior = TRUE)
run(X, "combat_param_cov.csv", mod = mod, par.prior = TRUE)
run(X, "combat_nonparam.csv", par.prior = FALSE)
run(X, "combat_nonparam_cov.csv", mod = mod, par.prior = FALSE)
run(X, "combat_meanonly.csv", par.prior = TRUE, mean.only = TRUE)
run(X, "combat_meanonly_nonparam_cov.csv", mod = mod, par.prior = FALSE, mean.only = TRUE)

# A feature constant within one centre: sva leaves it unadjusted and fits
# the rest without it.
Xz <- X
Xz[batch == "B", 5] <- 3.25
inz <- inp
inz$f05 <- sprintf("%.17g", Xz[, 5])
write.csv(inz, "input_constant.csv", row.names = FALSE, quote = FALSE)
run(Xz, "combat_constant_cov.csv", mod = mod, par.prior = TRUE)

# A centre with a single patient: sva switches to mean.only by itself;
# scirad asks for MeanOnly explicitly.
batch1 <- batch
batch1[n] <- "D"
in1 <- inp
in1$center <- batch1
write.csv(in1, "input_single.csv", row.names = FALSE, quote = FALSE)
res1 <- ComBat(dat = t(X), batch = batch1, mod = mod, mean.only = TRUE)
out1 <- data.frame(patient_id = ids, center = batch1, fmt(t(res1)), check.names = FALSE)
write.csv(out1, "combat_single_meanonly_cov.csv", row.names = FALSE, quote = FALSE)
