# Regenerates testdata/evaluate/proc_reference.csv from fixtures.csv.
# Tool: R 4.2.2 with pROC 1.18.0 (Debian bookworm r-cran-proc 1.18.0).
# Run from the repository root:
#   Rscript testdata/evaluate/make_reference.R
# auc, var, low, high: roc(label, score, direction = "<", levels = c(0, 1)),
#   var(r, method = "delong"), ci.auc(r, method = "delong") (CI clipped to
#   [0, 1] by pROC itself).
# youden: coords(r, "best", best.method = "youden", ret = "threshold"), all
#   tied thresholds joined by ";".
# hl_*: the Hosmer-Lemeshow test as ResourceSelection 0.3-5's hoslem.test
#   (g = 10, type-7 quantile breaks, unique, include.lowest), written out in
#   base R because the package is not in Debian; df = groups - 2.
suppressMessages(library(pROC))
d <- read.csv("testdata/evaluate/fixtures.csv")
out <- NULL
for (cs in unique(d$case)) {
  s <- d[d$case == cs, ]
  r <- roc(s$label, s$score, direction = "<", levels = c(0, 1), quiet = TRUE)
  ci <- as.numeric(ci.auc(r, method = "delong"))
  v <- var(r, method = "delong")
  th <- coords(r, "best", best.method = "youden", ret = "threshold", transpose = FALSE)$threshold
  qq <- unique(quantile(s$score, probs = seq(0, 1, 1/10)))
  hl <- c(NA, NA, NA)
  if (length(qq) >= 4) {
    cut <- cut(s$score, breaks = qq, include.lowest = TRUE)
    obs <- xtabs(cbind(1 - s$label, s$label) ~ cut)
    ex <- xtabs(cbind(1 - s$score, s$score) ~ cut)
    if (all(ex > 0)) {
      chisq <- sum((obs - ex)^2 / ex)
      df <- length(qq) - 1 - 2
      hl <- c(chisq, df, 1 - pchisq(chisq, df))
    }
  }
  out <- rbind(out, data.frame(case = cs, auc = as.numeric(auc(r)), var = v,
    low = ci[1], high = ci[3], youden = paste(format(th, digits = 17), collapse = ";"),
    hl_stat = hl[1], hl_df = hl[2], hl_p = hl[3]))
}
write.csv(format(out, digits = 17), "testdata/evaluate/proc_reference.csv", row.names = FALSE, quote = FALSE)
