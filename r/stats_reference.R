# Reference numbers for barometre.stats, from R's survey package.
#
# Run from the project root:  Rscript r/stats_reference.R
# Writes tests/stats/reference/{apistrat,apiclus1,apiclus2}.csv (R's `api` data)
# and tests/stats/reference/api_reference.json (every number the tests compare
# against, at 1e-6 relative or better). Tests never call R; rerun this script
# only when a case is added, and commit both outputs.
#
# Conventions the Python side mirrors:
# - means and totals: CI with Student t on the design df of the (sub)design;
# - proportions: svyciprop(method = "logit" | "beta" | "mean"), df = degf(design);
# - domains: subset(design, ...) (R's domain estimation), df of the subset;
# - missing values: na.rm = TRUE (a missing answer is out of the domain);
# - raking: rake() converged tightly (epsilon = 1e-12 of the weight total);
#   bounded raking: calibrate(calfun = "raking", bounds = ...).

suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})

out <- file.path("tests", "stats", "reference")
dir.create(out, recursive = TRUE, showWarnings = FALSE)
data(api)
write.csv(apistrat, file.path(out, "apistrat.csv"), row.names = FALSE, na = "")
write.csv(apiclus1, file.path(out, "apiclus1.csv"), row.names = FALSE, na = "")
write.csv(apiclus2, file.path(out, "apiclus2.csv"), row.names = FALSE, na = "")

ref <- list(meta = list(
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  survey_version = as.character(packageVersion("survey"))
))

stat1 <- function(m, df) {
  ci <- confint(m, df = df)
  list(estimate = unname(coef(m))[1], se = unname(SE(m))[1],
       ci_low = ci[1, 1], ci_high = ci[1, 2], df = df)
}
# df of the rows with a value (na.rm drops the others as a domain would).
answered <- function(v, d) d[!is.na(d$variables[[v]]), ]
mean_of <- function(v, d) stat1(svymean(as.formula(paste0("~", v)), d, na.rm = TRUE),
                                degf(answered(v, d)))
total_of <- function(v, d) stat1(svytotal(as.formula(paste0("~", v)), d, na.rm = TRUE),
                                 degf(answered(v, d)))
ciprop <- function(var, level, d, method) {
  f <- as.formula(sprintf("~I(%s == '%s')", var, level))
  p <- svyciprop(f, d, method = method)
  ci <- attr(p, "ci")
  list(estimate = unname(coef(p))[1], se = sqrt(unname(vcov(p))[1]),
       ci_low = unname(ci[1]), ci_high = unname(ci[2]), df = degf(d))
}
chisq <- function(f, d) {
  fs <- svychisq(f, d, statistic = "F")
  cs <- svychisq(f, d, statistic = "Chisq")
  list(statistic = unname(fs$statistic), ndf = unname(fs$parameter[1]),
       ddf = unname(fs$parameter[2]), p_value = unname(fs$p.value),
       pearson = unname(cs$statistic), chisq_df = unname(cs$parameter[1]),
       chisq_p_value = unname(cs$p.value))
}
logit <- function(d) {
  m <- svyglm(I(sch.wide == "Yes") ~ ell + meals + stype, d, family = quasibinomial(),
              control = glm.control(epsilon = 1e-14, maxit = 100))
  s <- summary(m)$coefficients
  list(terms = rownames(s), coefficients = unname(s[, 1]), se = unname(s[, 2]),
       p_values = unname(s[, 4]), df_residual = m$df.residual)
}

# Everything the tests check on one design.
battery <- function(d) {
  r <- list(
    weights = unname(weights(d)),
    df = degf(d),
    mean_api00 = mean_of("api00", d),
    mean_ell = mean_of("ell", d),
    total_enroll = total_of("enroll", d),
    mean_enroll = mean_of("enroll", d),
    chisq_schwide_stype = chisq(~sch.wide + stype, d),
    chisq_awards_stype = chisq(~awards + stype, d),
    logit = logit(d)
  )
  for (m in c("logit", "beta", "mean")) {
    r[[paste0("prop_schwide_yes_", m)]] <- ciprop("sch.wide", "Yes", d, m)
  }
  for (lev in c("E", "H", "M")) {
    r[[paste0("prop_stype_", lev)]] <- ciprop("stype", lev, d, "logit")
  }
  for (dom in c("No", "Yes")) {
    sub <- subset(d, comp.imp == dom)
    r[[paste0("domain_compimp_", dom)]] <- list(
      mean_api00 = mean_of("api00", sub),
      total_enroll = total_of("enroll", sub),
      prop_schwide_yes_logit = ciprop("sch.wide", "Yes", sub, "logit"),
      prop_schwide_yes_beta = ciprop("sch.wide", "Yes", sub, "beta"),
      prop_schwide_yes_mean = ciprop("sch.wide", "Yes", sub, "mean")
    )
  }
  r
}

dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
# Two stages without fpc: R's variance is the first stage's (ultimate cluster).
dclus2 <- svydesign(id = ~dnum + snum, weights = ~pw, data = apiclus2)
# Stratified cluster design, PSU ids nested in strata.
dstratclus <- svydesign(id = ~dnum, strata = ~stype, weights = ~pw, data = apistrat, nest = TRUE)

pop_types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop_schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
tight <- list(maxit = 1000, epsilon = 1e-12)

ref$strat <- battery(dstrat)
ref$clus1 <- battery(dclus1)
ref$clus2 <- battery(dclus2)
ref$stratclus <- battery(dstratclus)
ref$clus1_post <- battery(postStratify(dclus1, ~stype, pop_types))
ref$clus1_rake <- battery(rake(dclus1, list(~stype, ~sch.wide), list(pop_types, pop_schwide),
                               control = tight))
ref$strat_rake <- battery(rake(dstrat, list(~sch.wide, ~awards),
                               list(data.frame(sch.wide = c("No", "Yes"), Freq = c(1100, 5094)),
                                    data.frame(awards = c("No", "Yes"), Freq = c(2300, 3894))),
                               control = tight))
ref$strat_post <- battery(postStratify(dstrat, ~awards,
                                       data.frame(awards = c("No", "Yes"), Freq = c(2300, 3894))))
# Raking with the adjustment factor g = new / old weight bounded: one calibration step.
ref$clus1_rake_bounded <- battery(calibrate(
  dclus1, ~stype + sch.wide, c(6194, 755, 1018, 5122), calfun = "raking",
  bounds = c(0.9, 1.9), maxit = 500, epsilon = 1e-13))
ref$clus1_rake_bounded$bounds <- c(0.9, 1.9)

# Singleton strata: all rows of types E and M, one school of type H.
lonely <- rbind(apistrat[apistrat$stype != "H", ], apistrat[apistrat$stype == "H", ][1, ])
write.csv(lonely, file.path(out, "apistrat_lonely.csv"), row.names = FALSE, na = "")
for (policy in c("certainty", "adjust", "average")) {
  old <- options(survey.lonely.psu = policy)
  dl <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = lonely)
  ref[[paste0("lonely_", policy)]] <- list(
    mean_api00 = mean_of("api00", dl), total_enroll = total_of("enroll", dl))
  options(old)
}

writeLines(toJSON(ref, digits = NA, auto_unbox = TRUE, pretty = TRUE),
           file.path(out, "api_reference.json"))
cat("wrote", file.path(out, "api_reference.json"), "\n")
