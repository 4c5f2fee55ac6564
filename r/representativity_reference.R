# Reference numbers for barometre.stats.representativity (R-indicators), from R's glm.
#
# Run from the project root:  Rscript r/representativity_reference.R
# Writes tests/stats/reference/representativity_reference.json. Data: R's `apistrat`
# (already written by r/stats_reference.R as tests/stats/reference/apistrat.csv):
# "responded" = sch.wide == "Yes", auxiliaries stype and awards, design weights pw.
# Propensities: glm(quasibinomial, weights = pw) with main effects; then Schouten, Cobben
# and Bethlehem (2009): R = 1 - 2 S(rho), S^2 = sum w (rho - mean)^2 / (sum w - 1);
# partial indicators as in Schouten, Shlomo and Skinner (2011).

suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
data(api)
d <- apistrat
d$responded <- as.numeric(d$sch.wide == "Yes")
fit_r <- function(data, w, aux) {
  f <- as.formula(paste("responded ~", paste(aux, collapse = " + ")))
  m <- glm(f, data = data, weights = w, family = quasibinomial(), control = glm.control(epsilon = 1e-14, maxit = 100))
  rho <- fitted(m)
  N <- sum(w)
  mean_rho <- sum(w * rho) / N
  s <- sqrt(sum(w * (rho - mean_rho)^2) / (N - 1))
  r <- 1 - 2 * s
  partials <- list()
  for (x in aux) {
    k <- as.character(data[[x]])
    nk <- tapply(w, k, sum)
    mk <- tapply(w * rho, k, sum) / nk
    unc <- sqrt(sum(nk * (mk - mean_rho)^2) / N)
    others <- setdiff(aux, x)
    cell <- if (length(others)) do.call(paste, c(lapply(others, function(o) as.character(data[[o]])), sep = "\x1f")) else rep("all", nrow(data))
    mc <- tapply(w * rho, cell, sum) / tapply(w, cell, sum)
    cond <- sqrt(sum(w * (rho - mc[cell])^2) / N)
    cats <- as.list(sqrt(nk / N) * (mk - mean_rho))
    partials[[x]] <- list(unconditional = unc, conditional = cond, categories = cats)
  }
  list(r_indicator = r, response_rate = mean_rho, propensity_sd = s,
       max_bias = (1 - r) / (2 * mean_rho), partials = partials)
}
ref <- list(
  weighted = fit_r(d, d$pw, c("stype", "awards")),
  unweighted = fit_r(d, rep(1, nrow(d)), c("stype", "awards"))
)
write(toJSON(ref, digits = NA, auto_unbox = TRUE, pretty = TRUE),
      file.path("tests", "stats", "reference", "representativity_reference.json"))
