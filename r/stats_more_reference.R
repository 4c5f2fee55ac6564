# Reference numbers for the rest of R survey in barometre.stats (issue 14, item 6).
#
# Run from the project root:  Rscript r/stats_more_reference.R
# Reads the api data sets written by r/stats_reference.R (tests/stats/reference/*.csv
# come from data(api)) and writes tests/stats/reference/more_reference.json. Tests
# never call R; rerun this script only when a case is added, and commit its output.
#
# survey 4.1 defaults used (and mirrored by the Python side):
# - svyquantile(~x, d, q, ci = TRUE): qrule = "math" (the smallest x whose weighted
#   CDF reaches q), interval.type = "mean" (Woodruff: the CI of the CDF at the
#   quantile, mapped back through the quantile rule), alpha = 0.05, df = degf(design),
#   se = (upper - lower) / (2 qt(0.975, df));
# - svymean/svytotal(..., deff = TRUE): SRS variance without replacement, with the
#   population size estimated by the sum of weights;
# - svyratio: CI from confint(..., df = degf(design)) (R's default is normal);
# - svycontrast on svyby(..., covmat = TRUE): CI with df = degf(design);
# - as.svrepdesign(type = "JKn") (JK1 for unstratified designs, the same numbers),
#   mse = FALSE (deviations from the mean of the replicates), df = degf(rep design);
# - calibrate(..., calfun = "linear" | "raking" | "logit"), converged to 1e-13;
# - svychisq(statistic = "Wald"); svyttest(y ~ g).

suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})

ref_dir <- file.path("tests", "stats", "reference")
read_api <- function(name) {
  read.csv(file.path(ref_dir, paste0(name, ".csv")), stringsAsFactors = FALSE,
           na.strings = "")
}
apistrat <- read_api("apistrat")
apiclus1 <- read_api("apiclus1")
apiclus2 <- read_api("apiclus2")

ref <- list(meta = list(
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  survey_version = as.character(packageVersion("survey"))
))

est_ci <- function(estimate, se, df) {
  q <- qt(0.975, df)
  estimate <- as.numeric(estimate)
  se <- as.numeric(se)
  list(estimate = estimate, se = se, ci_low = estimate - q * se, ci_high = estimate + q * se,
       df = df)
}
fml <- function(v) as.formula(paste0("~", v))
answered <- function(v, d) d[!is.na(d$variables[[v]]), ]

quant <- function(v, d, q) {
  r <- svyquantile(fml(v), d, q, ci = TRUE, na.rm = TRUE)[[1]]
  list(estimate = unname(r[1, 1]), ci_low = unname(r[1, 2]), ci_high = unname(r[1, 3]),
       se = unname(r[1, 4]), df = degf(answered(v, d)))
}
deff_mean <- function(v, d) {
  m <- svymean(fml(v), d, na.rm = TRUE, deff = TRUE)
  list(estimate = as.numeric(coef(m)), se = as.numeric(SE(m)), deff = as.numeric(deff(m)))
}
deff_total <- function(v, d) {
  m <- svytotal(fml(v), d, na.rm = TRUE, deff = TRUE)
  list(estimate = as.numeric(coef(m)), se = as.numeric(SE(m)), deff = as.numeric(deff(m)))
}
wald <- function(f, d) {
  w <- svychisq(f, d, statistic = "Wald")
  list(statistic = as.numeric(w$statistic), ndf = unname(w$parameter[1]),
       ddf = unname(w$parameter[2]), p_value = as.numeric(w$p.value))
}
ttest <- function(f, d) {
  t <- svyttest(f, d)
  list(difference = as.numeric(t$estimate), statistic = as.numeric(t$statistic),
       df = as.numeric(t$parameter), p_value = as.numeric(t$p.value))
}
by2 <- function(d) {
  b <- svyby(~api00, ~stype + awards, d, svymean, keep.var = TRUE)
  lapply(seq_len(nrow(b)), function(i) {
    sub <- subset(d, stype == as.character(b$stype[i]) & awards == as.character(b$awards[i]))
    c(list(a = as.character(b$stype[i]), b = as.character(b$awards[i])),
      est_ci(b$api00[i], SE(b)[i], degf(sub)))
  })
}
contrast <- function(d, lev_a, lev_b) {
  b <- tryCatch(svyby(~api00, ~stype, d, svymean, covmat = TRUE), error = function(e) NULL)
  if (is.null(b)) {
    # svyby(covmat = TRUE) fails on a design post-stratified on the by variable
    # (survey 4.1.1); the domain means are ratios, and svyratio(covmat = TRUE)
    # gives the same linearized covariance.
    d <- update(d, ya = api00 * (stype == lev_a), yb = api00 * (stype == lev_b),
                ia = as.numeric(stype == lev_a), ib = as.numeric(stype == lev_b))
    r <- svyratio(~ya + yb, ~ia + ib, d, covmat = TRUE)
    v <- r$vcov  # ratios in the order ya/ia, yb/ia, ya/ib, yb/ib
    est <- r$ratio[1, 1] - r$ratio[2, 2]
    se <- sqrt(v[1, 1] + v[4, 4] - 2 * v[1, 4])
    return(est_ci(est, se, degf(d)))
  }
  w <- setNames(rep(0, nrow(b)), rownames(b))
  w[lev_a] <- 1
  w[lev_b] <- -1
  cc <- svycontrast(b, w)
  est_ci(coef(cc), SE(cc), degf(d))
}
jackknife <- function(d) {
  rep <- as.svrepdesign(d, type = if (d$has.strata) "JKn" else "JK1")
  df <- degf(rep)
  m <- svymean(~api00, rep)
  t <- svytotal(~enroll, rep, na.rm = TRUE)
  p <- svyciprop(~I(sch.wide == "Yes"), rep, method = "logit")
  w <- weights(rep, "analysis")
  list(
    df = df,
    n_replicates = ncol(w),
    mean_api00 = est_ci(coef(m), SE(m), df),
    total_enroll = est_ci(coef(t), SE(t), df),
    prop_schwide_yes = list(estimate = unname(as.numeric(coef(p))), se = sqrt(unname(vcov(p))[1]),
                            ci_low = unname(attr(p, "ci")[1]),
                            ci_high = unname(attr(p, "ci")[2]), df = df),
    weight_column_sums = unname(colSums(w)),
    weights_first_columns = unname(w[, 1:3])
  )
}

# Everything the tests check on one design.
battery <- function(d) {
  r <- list(
    quantile_api00_50 = quant("api00", d, 0.5),
    quantile_api00_25 = quant("api00", d, 0.25),
    quantile_enroll_50 = quant("enroll", d, 0.5),
    quantile_enroll_90 = quant("enroll", d, 0.9),
    deff_mean_api00 = deff_mean("api00", d),
    deff_mean_enroll = deff_mean("enroll", d),
    deff_total_enroll = deff_total("enroll", d),
    deff_schwide = deff_mean("sch.wide", d),
    wald_schwide_stype = wald(~sch.wide + stype, d),
    wald_awards_stype = wald(~awards + stype, d),
    ttest_api00_awards = ttest(api00 ~ awards, d),
    ttest_enroll_schwide = ttest(enroll ~ sch.wide, d),
    by_stype_awards = by2(d),
    contrast_E_H = contrast(d, "E", "H"),
    contrast_M_E = contrast(d, "M", "E")
  )
  rr <- svyratio(~api00, ~api99, d)
  r$ratio_api00_api99 <- est_ci(coef(rr), SE(rr), degf(d))
  rr <- svyratio(~enroll, ~api00, d, na.rm = TRUE)
  r$ratio_enroll_api00 <- est_ci(coef(rr), SE(rr), degf(d[!is.na(d$variables$enroll), ]))
  tt <- svytotal(~stype, d)
  r$totals_stype <- lapply(seq_along(coef(tt)), function(i) est_ci(coef(tt)[i], SE(tt)[i], degf(d)))
  names(r$totals_stype) <- sub("^stype", "", names(coef(tt)))
  byd <- svyby(~api00, ~comp.imp, d, svymean, deff = TRUE)
  r$deff_by_compimp <- setNames(as.list(unname(deff(byd))), as.character(byd$comp.imp))
  r
}

dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
dclus2 <- svydesign(id = ~dnum + snum, weights = ~pw, data = apiclus2)
dstratclus <- svydesign(id = ~dnum, strata = ~stype, weights = ~pw, data = apistrat, nest = TRUE)

pop_types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop_schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
tight <- list(maxit = 1000, epsilon = 1e-12)

designs <- list(
  strat = dstrat,
  clus1 = dclus1,
  clus2 = dclus2,
  stratclus = dstratclus,
  clus1_post = postStratify(dclus1, ~stype, pop_types),
  strat_post = postStratify(dstrat, ~awards,
                            data.frame(awards = c("No", "Yes"), Freq = c(2300, 3894))),
  clus1_rake = rake(dclus1, list(~stype, ~sch.wide), list(pop_types, pop_schwide),
                    control = tight),
  strat_rake = rake(dstrat, list(~sch.wide, ~awards),
                    list(data.frame(sch.wide = c("No", "Yes"), Freq = c(1100, 5094)),
                         data.frame(awards = c("No", "Yes"), Freq = c(2300, 3894))),
                    control = tight),
  clus1_rake_bounded = calibrate(dclus1, ~stype + sch.wide, c(6194, 755, 1018, 5122),
                                 calfun = "raking", bounds = c(0.9, 1.9), maxit = 500,
                                 epsilon = 1e-13)
)
for (name in names(designs)) ref[[name]] <- battery(designs[[name]])

# Jackknife replicate designs of the uncalibrated designs (as.svrepdesign keeps the
# final weights and does not redo a calibration in each replicate).
for (name in c("strat", "clus1", "clus2", "stratclus")) {
  ref[[name]]$jackknife <- jackknife(designs[[name]])
}

# calibrate() with each calfun, on a stratified and on a cluster design.
calib <- function(d, formula, population, calfun, bounds) {
  cd <- calibrate(d, formula, population, calfun = calfun, bounds = bounds, maxit = 500,
                  epsilon = 1e-13)
  m <- svymean(~api00, cd, deff = TRUE)
  t <- svytotal(~enroll, cd, na.rm = TRUE)
  list(weights = unname(weights(cd)),
       mean_api00 = c(est_ci(coef(m), SE(m), degf(cd)), list(deff = unname(deff(m)))),
       total_enroll = est_ci(coef(t), SE(t), degf(cd[!is.na(cd$variables$enroll), ])))
}
cases <- list(
  list(name = "strat", d = dstrat, f = ~sch.wide + awards, pop = c(6194, 5094, 3894)),
  list(name = "clus1", d = dclus1, f = ~stype + sch.wide, pop = c(6194, 755, 1018, 5122))
)
ref$calibrate <- list()
for (case in cases) {
  for (calfun in c("linear", "raking", "logit")) {
    bounds <- if (calfun == "logit") c(0.5, 2.5) else c(-Inf, Inf)
    key <- paste(case$name, calfun, sep = "_")
    ref$calibrate[[key]] <- calib(case$d, case$f, case$pop, calfun, bounds)
    ref$calibrate[[key]]$bounds <- if (calfun == "logit") bounds else NULL
  }
  key <- paste(case$name, "linear_bounded", sep = "_")
  ref$calibrate[[key]] <- calib(case$d, case$f, case$pop, "linear", c(0.7, 1.6))
  ref$calibrate[[key]]$bounds <- c(0.7, 1.6)
}

writeLines(toJSON(ref, digits = NA, auto_unbox = TRUE, pretty = TRUE),
           file.path(ref_dir, "more_reference.json"))
cat("wrote", file.path(ref_dir, "more_reference.json"), "\n")
