# Reference numbers for barometre.typology.drivers: weighted logistic models of
# "active or très active" and the drop in McFadden's pseudo-R² per driver group.
#
# Run from the project root:  Rscript r/typology_drivers_reference.R
# Reads tests/typology/reference/drivers_wave.csv (a synthetic wave written by
# tests/typology/_wave.py) and writes drivers_*.csv beside it. Tests never call R;
# rerun this script only when a case changes, and commit its output.
#
# Last run with R 4.2.2 Patched (2022-11-10 r83330) and survey 4.1.1
# (packageVersion("survey"); Debian packages r-base-core and r-cran-survey).
#
# The design is the whole wave (every respondent, stratified by stratum); the models are
# fitted on the complete cases (the response and every driver answered) as a domain of it:
# svyglm(..., design = subset(design, keep)). The subset keeps each stratum's n_h over every
# respondent (design$fpc$sampsize), so the SEs are those of a domain, not of a design
# drawn on the complete cases alone (svydesign(..., data = wave[keep, ]) moves them by
# up to 1.6e-3 relative here).
#
# glm.control(epsilon = 1e-14, maxit = 100), as r/stats_reference.R: with glm's default
# epsilon of 1e-8 the coefficients stop ~1e-9 relative short of convergence and the SEs,
# computed at the last iteration's weights, ~1e-6 relative (barometre's IRLS runs to 1e-12).

suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "adjust")
out <- file.path("tests", "typology", "reference")
wave <- read.csv(file.path(out, "drivers_wave.csv"), colClasses = "character")
wave$weight <- as.numeric(wave$weight)
drivers <- c("leader_activity", "staff_trained", "marketing_team", "sector",
             "size_band", "market", "employee_age", "leader_age")
# an empty field is a missing answer (read.csv reads it as "" in a character column)
for (v in c("activity", drivers)) wave[[v]][wave[[v]] == ""] <- NA
keep <- complete.cases(wave[, c("activity", drivers)])
wave$active <- as.integer(wave$activity %in% c("active", "tres_active"))
# factor levels in sorted (C locale) order among the complete cases: the first is the
# reference, as in barometre
for (d in drivers) {
  wave[[d]] <- factor(wave[[d]], levels = sort(unique(wave[[d]][keep]), method = "radix"))
}

design <- svydesign(ids = ~1, strata = ~stratum, weights = ~weight, data = wave)
domain <- subset(design, keep)
cc <- wave[keep, ]  # the domain's respondents, in the wave's order, for the deviances
stopifnot(nrow(model.frame(domain)) == nrow(cc))
deviance_of <- function(groups) {
  f <- as.formula(paste("active ~", paste(groups, collapse = " + ")))
  fit <- svyglm(f, design = domain, family = quasibinomial(),
                control = glm.control(epsilon = 1e-14, maxit = 100))
  mu <- fitted(fit)
  stopifnot(length(mu) == nrow(cc))
  y <- cc$active
  w <- cc$weight
  list(fit = fit, dev = -2 * sum(w * (y * log(mu) + (1 - y) * log(1 - mu))))
}
p <- weighted.mean(cc$active, cc$weight)
d0 <- -2 * sum(cc$weight * (cc$active * log(p) + (1 - cc$active) * log(1 - p)))
full <- deviance_of(drivers)
drops <- sapply(drivers, function(g) (deviance_of(setdiff(drivers, g))$dev - full$dev) / d0)
fmt <- function(x) sprintf("%.17g", x)
write.csv(data.frame(group = drivers, delta_r2 = fmt(drops)),
          file.path(out, "drivers_importance.csv"), row.names = FALSE)
write.csv(data.frame(n = nrow(cc), pseudo_r2 = fmt(1 - full$dev / d0),
                     null_deviance = fmt(d0), deviance = fmt(full$dev),
                     df_residual = full$fit$df.residual),
          file.path(out, "drivers_fit.csv"), row.names = FALSE)
co <- summary(full$fit)$coefficients
write.csv(data.frame(term = rownames(co), coefficient = fmt(co[, 1]), se = fmt(co[, 2]),
                     p_value = fmt(co[, 4])),
          file.path(out, "drivers_coefficients.csv"), row.names = FALSE)
cat("drivers reference written to", out, "\n")
