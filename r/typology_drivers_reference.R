# Reference numbers for barometre.typology.drivers: weighted logistic models of
# "active or très active" and the drop in McFadden's pseudo-R² per driver group.
#
# Run from the project root:  Rscript r/typology_drivers_reference.R
# Reads tests/typology/reference/drivers_wave.csv (a synthetic wave written by
# tests/typology/_wave.py) and writes drivers_*.csv beside it.

suppressPackageStartupMessages(library(survey))
out <- file.path("tests", "typology", "reference")
wave <- read.csv(file.path(out, "drivers_wave.csv"), colClasses = "character")
wave$weight <- as.numeric(wave$weight)
drivers <- c("leader_activity", "staff_trained", "marketing_team", "sector",
             "size_band", "market", "employee_age", "leader_age")
keep <- complete.cases(wave[, c("activity", drivers)]) & wave$activity != ""
wave <- wave[keep, ]
wave$active <- as.integer(wave$activity %in% c("active", "tres_active"))
# factor levels in sorted (C locale) order: the first is the reference, as in barometre
for (d in drivers) wave[[d]] <- factor(wave[[d]], levels = sort(unique(wave[[d]]), method = "radix"))

design <- svydesign(ids = ~1, strata = ~stratum, weights = ~weight, data = wave)
options(survey.lonely.psu = "adjust")
deviance_of <- function(groups) {
  f <- as.formula(paste("active ~", paste(groups, collapse = " + ")))
  fit <- svyglm(f, design = design, family = quasibinomial())
  mu <- fitted(fit)
  y <- wave$active
  w <- wave$weight
  list(fit = fit, dev = -2 * sum(w * (y * log(mu) + (1 - y) * log(1 - mu))))
}
p <- weighted.mean(wave$active, wave$weight)
d0 <- -2 * sum(wave$weight * (wave$active * log(p) + (1 - wave$active) * log(1 - p)))
full <- deviance_of(drivers)
drops <- sapply(drivers, function(g) (deviance_of(setdiff(drivers, g))$dev - full$dev) / d0)
fmt <- function(x) sprintf("%.17g", x)
write.csv(data.frame(group = drivers, delta_r2 = fmt(drops)),
          file.path(out, "drivers_importance.csv"), row.names = FALSE)
write.csv(data.frame(n = nrow(wave), pseudo_r2 = fmt(1 - full$dev / d0)),
          file.path(out, "drivers_fit.csv"), row.names = FALSE)
co <- summary(full$fit)$coefficients
write.csv(data.frame(term = rownames(co), coefficient = fmt(co[, 1]), se = fmt(co[, 2])),
          file.path(out, "drivers_coefficients.csv"), row.names = FALSE)
cat("drivers reference written to", out, "\n")
