# Regenerates the glmnet golden files in this folder.
#
#   cd testdata/selection && Rscript make_lasso.R
#
# Tools: R 4.2.2, glmnet 4.1-6 (Debian bookworm r-cran-glmnet). Every fit
# runs with thresh = 1e-18: glmnet's default 1e-7 stops up to ~4e-4 away
# from the optimum, and even 1e-14 stops 3.6e-5 away on the p > n case
# (max |beta(1e-14) - beta(1e-22)| on lasso_wide, gaussian); 1e-20 hits
# maxit there, so maxit = 1e7. Other settings: standardize = TRUE, intercept = TRUE, alpha = 1, the
# default nlambda = 100 and lambda.min.ratio, and fixed fold ids.
suppressMessages(library(glmnet))
options(warn = 1)
fmt <- function(v) sprintf("%.17g", v)

set.seed(7)
make <- function(n, p) {
  x <- matrix(rnorm(n * p), n, p)
  # correlated pairs and different scales, as radiomics features have
  x[, 2] <- 0.6 * x[, 1] + 0.8 * x[, 2]
  x <- sweep(x, 2, exp(rnorm(p, 0, 1)), "*")
  x <- sweep(x, 2, rnorm(p, 0, 3), "+")
  colnames(x) <- sprintf("x%02d", 1:p)
  x
}

write.path <- function(fit, file) {
  b <- as.matrix(fit$beta)
  out <- data.frame(lambda = fmt(fit$lambda), a0 = fmt(fit$a0),
    apply(t(b), c(1, 2), fmt), check.names = FALSE)
  write.csv(out, file, row.names = FALSE, quote = FALSE)
}

write.cv <- function(cv, file) {
  out <- data.frame(lambda = fmt(cv$lambda), cvm = fmt(cv$cvm), cvsd = fmt(cv$cvsd),
    nzero = cv$nzero)
  write.csv(out, file, row.names = FALSE, quote = FALSE)
  ch <- data.frame(lambda_min = fmt(cv$lambda.min), lambda_1se = fmt(cv$lambda.1se),
    index_min = cv$index[1], index_1se = cv$index[2])
  write.csv(ch, sub(".csv", "_choice.csv", file, fixed = TRUE), row.names = FALSE, quote = FALSE)
}

one <- function(tag, n, p, nfolds = 10) {
  x <- make(n, p)
  eta <- 1.5 * scale(x[, 1])[, 1] - 1.0 * scale(x[, 3])[, 1] + 0.7 * scale(x[, 5])[, 1]
  yg <- 2 + eta + rnorm(n)
  yb <- rbinom(n, 1, 1 / (1 + exp(-eta)))
  foldid <- rep(1:nfolds, length.out = n)[sample(n)]
  inp <- data.frame(id = sprintf("S%02d", 1:n), y_gaussian = fmt(yg), y_binomial = yb,
    foldid = foldid, apply(x, c(1, 2), fmt), check.names = FALSE)
  write.csv(inp, sprintf("lasso_%s_input.csv", tag), row.names = FALSE, quote = FALSE)

  fg <- glmnet(x, yg, family = "gaussian", thresh = 1e-18, maxit = 1e7)
  write.path(fg, sprintf("lasso_%s_gaussian_path.csv", tag))
  cg <- cv.glmnet(x, yg, family = "gaussian", foldid = foldid, thresh = 1e-18, maxit = 1e7)
  write.cv(cg, sprintf("lasso_%s_gaussian_cv.csv", tag))

  fb <- glmnet(x, yb, family = "binomial", thresh = 1e-18, maxit = 1e7)
  write.path(fb, sprintf("lasso_%s_binomial_path.csv", tag))
  cb <- cv.glmnet(x, yb, family = "binomial", foldid = foldid, thresh = 1e-18, maxit = 1e7)
  write.cv(cb, sprintf("lasso_%s_binomial_cv.csv", tag))
  cbm <- cv.glmnet(x, yb, family = "binomial", foldid = foldid, thresh = 1e-18, maxit = 1e7,
    type.measure = "mse")
  write.cv(cbm, sprintf("lasso_%s_binomial_mse_cv.csv", tag))
}

one("tall", 60, 12)  # n > p: lambda.min.ratio = 1e-4
one("wide", 30, 40)  # n < p: lambda.min.ratio = 0.01

# Separable classes: the binomial path ends when the fit saturates (every
# fitted probability within pmin = 1e-9 of 0 or 1), not at 100 lambdas.
set.seed(11)
xs <- cbind(sep = c(rnorm(15, -2), rnorm(15, 2)), noise = rnorm(30))
ys <- rep(0:1, each = 15)
write.csv(data.frame(id = sprintf("S%02d", 1:30), y_binomial = ys,
  sep = fmt(xs[, 1]), noise = fmt(xs[, 2])), "lasso_separable_input.csv",
  row.names = FALSE, quote = FALSE)
write.path(glmnet(xs, ys, family = "binomial", thresh = 1e-18, maxit = 1e7),
  "lasso_separable_binomial_path.csv")

# Perfectly separated classes with a given lambda sequence: glmnet stops
# when the fit saturates even though the sequence was given.
xs2 <- cbind(sep = c(rnorm(15, -4, 0.5), rnorm(15, 4, 0.5)), noise = rnorm(30))
write.csv(data.frame(id = sprintf("S%02d", 1:30), y_binomial = ys,
  sep = fmt(xs2[, 1]), noise = fmt(xs2[, 2])), "lasso_separated_input.csv",
  row.names = FALSE, quote = FALSE)
write.path(glmnet(xs2, ys, family = "binomial", thresh = 1e-18, maxit = 1e7,
  lambda = exp(seq(log(1), log(1e-8), length.out = 60))),
  "lasso_separated_binomial_path.csv")

# n == p: glmnet's lambda.min.ratio is 1e-4 unless nobs < nvars.
set.seed(5)
xq <- matrix(rnorm(400), 20, 20)
colnames(xq) <- sprintf("x%02d", 1:20)
yq <- xq[, 1] - xq[, 2] + rnorm(20)
write.csv(data.frame(id = sprintf("S%02d", 1:20), y_gaussian = fmt(yq), apply(xq, c(1, 2), fmt),
  check.names = FALSE), "lasso_square_input.csv", row.names = FALSE, quote = FALSE)
write.path(glmnet(xq, yq, thresh = 1e-18, maxit = 1e7), "lasso_square_gaussian_path.csv")
