# Reference numbers for barometre.typology: FactoMineR 2.7 MCA and HCPC on the
# `tea` and `poison` data, unweighted and with row weights.
#
# Run from the project root:  Rscript r/typology_reference.R
# Writes tests/typology/reference/*.csv (data, eigenvalues, coordinates,
# contributions, cos2, v.test, supplementary categories, HCPC k and partitions).
# The tests read these frozen files and never call R.

suppressPackageStartupMessages(library(FactoMineR))
stopifnot(packageVersion("FactoMineR") == "2.7")

out <- file.path("tests", "typology", "reference")
dir.create(out, showWarnings = FALSE, recursive = TRUE)

fmt <- function(df) {
  for (j in seq_along(df)) if (is.numeric(df[[j]])) df[[j]] <- sprintf("%.17g", df[[j]])
  df
}
save <- function(df, name) {
  write.csv(fmt(df), file.path(out, name), row.names = FALSE, quote = TRUE)
}

category_table <- function(X, mat, prefix) {
  # one row per category: variable, level (original level names), Dim.1..Dim.k
  variable <- rep(names(X), sapply(X, nlevels))
  level <- unlist(lapply(X, levels), use.names = FALSE)
  m <- as.data.frame(unclass(mat))
  names(m) <- paste0(prefix, seq_len(ncol(m)))
  cbind(data.frame(variable = variable, level = level, stringsAsFactors = FALSE), m)
}

run_case <- function(name, data, active, sup, row.w) {
  X <- data[, c(active, sup)]
  res <- MCA(X, ncp = 5, quali.sup = if (length(sup)) (length(active) + 1):ncol(X) else NULL,
             graph = FALSE, row.w = row.w)
  Xact <- droplevels(data[, active])
  save(data.frame(eigenvalue = res$eig[, 1], percent = res$eig[, 2]), paste0(name, "_eig.csv"))
  ind <- as.data.frame(res$ind$coord); names(ind) <- paste0("Dim", 1:5)
  save(ind, paste0(name, "_ind_coord.csv"))
  ic <- as.data.frame(res$ind$cos2); names(ic) <- paste0("Dim", 1:5)
  save(ic, paste0(name, "_ind_cos2.csv"))
  ict <- as.data.frame(res$ind$contrib); names(ict) <- paste0("Dim", 1:5)
  save(ict, paste0(name, "_ind_contrib.csv"))
  save(category_table(Xact, res$var$coord, "Dim"), paste0(name, "_var_coord.csv"))
  save(category_table(Xact, res$var$contrib, "Dim"), paste0(name, "_var_contrib.csv"))
  save(category_table(Xact, res$var$cos2, "Dim"), paste0(name, "_var_cos2.csv"))
  save(category_table(Xact, res$var$v.test, "Dim"), paste0(name, "_var_vtest.csv"))
  if (length(sup)) {
    Xsup <- droplevels(data[, sup, drop = FALSE])
    save(category_table(Xsup, res$quali.sup$coord, "Dim"), paste0(name, "_sup_coord.csv"))
    save(category_table(Xsup, res$quali.sup$cos2, "Dim"), paste0(name, "_sup_cos2.csv"))
    save(category_table(Xsup, res$quali.sup$v.test, "Dim"), paste0(name, "_sup_vtest.csv"))
  }
  parts <- list()
  for (consol in c(TRUE, FALSE)) {
    h <- HCPC(res, nb.clust = -1, consol = consol, graph = FALSE)
    key <- if (consol) "consolidated" else "ward"
    parts[[key]] <- as.integer(as.character(h$data.clust$clust))
    if (!consol) {
      gain <- h$call$t$inert.gain
      save(data.frame(inertia_gain = gain[1:min(15, length(gain))]), paste0(name, "_hcpc_gain.csv"))
      k <- h$call$t$nb.clust
    }
  }
  save(data.frame(k = k), paste0(name, "_hcpc_k.csv"))
  # cluster description of the consolidated partition: catdes on the original
  # levels (HCPC runs the same catdes on MCA's call$X, whose levels may be prefixed)
  h <- HCPC(res, nb.clust = -1, consol = TRUE, graph = FALSE)
  dc <- cbind.data.frame(data[, c(active, sup)], clust = h$data.clust$clust)
  cd <- catdes(dc, ncol(dc), proba = 0.05, row.w = row.w)
  cats <- do.call(rbind, lapply(names(cd$category), function(j) {
    t <- cd$category[[j]]
    if (is.null(t) || nrow(t) == 0) return(NULL)
    data.frame(cluster = as.integer(j), label = rownames(t), cla_mod = t[, 1], mod_cla = t[, 2],
               global = t[, 3], p_value = t[, 4], v_test = t[, 5], stringsAsFactors = FALSE)
  }))
  save(cats, paste0(name, "_hcpc_categories.csv"))
  para <- do.call(rbind, lapply(seq_along(h$desc.ind$para), function(j) {
    p <- h$desc.ind$para[[j]]
    data.frame(cluster = j, row = as.integer(names(p)), distance = as.numeric(p))
  }))
  save(para, paste0(name, "_hcpc_paragons.csv"))
  spec <- do.call(rbind, lapply(seq_along(h$desc.ind$dist), function(j) {
    p <- h$desc.ind$dist[[j]]
    data.frame(cluster = j, row = as.integer(names(p)), distance = as.numeric(p))
  }))
  save(spec, paste0(name, "_hcpc_specific.csv"))
  save(data.frame(consolidated = parts$consolidated, ward = parts$ward), paste0(name, "_hcpc_partition.csv"))
  # a forced k, to test the cut independently of the rule
  h4 <- HCPC(res, nb.clust = 4, consol = FALSE, graph = FALSE)
  save(data.frame(ward4 = as.integer(as.character(h4$data.clust$clust))), paste0(name, "_hcpc_partition4.csv"))
}

data(tea)
data(poison)
tea_active <- names(tea)[1:18]
tea_sup <- names(tea)[20:36]
poison_active <- names(poison)[5:15]
poison_sup <- names(poison)[3:4]

# deterministic, unequal survey-like weights
tea_w <- 1 + (seq_len(nrow(tea)) %% 7) * 0.75
poison_w <- 10 + (seq_len(nrow(poison)) %% 4) * 5

tea_out <- tea[, c(tea_active, tea_sup)]
tea_out$w <- tea_w
write.csv(tea_out, file.path(out, "tea.csv"), row.names = FALSE)
poison_out <- poison[, c(poison_active, poison_sup)]
poison_out$w <- poison_w
write.csv(poison_out, file.path(out, "poison.csv"), row.names = FALSE)

run_case("tea", tea, tea_active, tea_sup, NULL)
run_case("tea_weighted", tea, tea_active, tea_sup, tea_w)
run_case("poison", poison, poison_active, poison_sup, NULL)
run_case("poison_weighted", poison, poison_active, poison_sup, poison_w)
# a larger survey-like file: exercises the k-d tree phase of the Ward code (over
# 4000 distinct profiles) and Hartigan-Wong consolidation with many transfers
set.seed(20180601)
n <- 6000
latent <- rnorm(n)
make <- function(levels, shift) {
  p <- sapply(seq_along(levels), function(j) exp((j - 1) * shift * latent))
  factor(levels[apply(p, 1, function(pr) sample.int(length(pr), 1, prob = pr))], levels = levels)
}
synth <- data.frame(
  activity = make(c("inactive", "peu_active", "active", "tres_active"), 0.8),
  tempo = make(c("en_retard", "bon_tempo", "en_avance"), 0.6),
  leader_activity = make(c("inactive", "peu_active", "active", "tres_active"), 0.7),
  spend = make(c("zero", "lt_5k", "5k_10k", "10k_50k"), 0.4),
  strategy = make(c("no", "yes"), 0.9),
  staff_trained = make(c("no", "yes"), 0.7),
  size_band = make(c("0-9", "10-19", "20-49", "50-249"), 0.2),
  market = make(c("b2b", "b2c", "both"), 0.1),
  website = make(c("aucun", "vitrine", "marchand"), 0.3)
)
synth_w <- round(runif(n, 5, 60), 3)
synth_out <- synth
synth_out$w <- synth_w
write.csv(synth_out, file.path(out, "synthetic.csv"), row.names = FALSE)
for (weighted in c(FALSE, TRUE)) {
  name <- if (weighted) "synthetic_weighted" else "synthetic"
  res <- MCA(synth, ncp = 5, graph = FALSE, row.w = if (weighted) synth_w else NULL)
  save(data.frame(eigenvalue = res$eig[, 1], percent = res$eig[, 2]), paste0(name, "_eig.csv"))
  hc <- HCPC(res, nb.clust = -1, consol = TRUE, graph = FALSE)
  hw <- HCPC(res, nb.clust = -1, consol = FALSE, graph = FALSE)
  save(data.frame(k = hw$call$t$nb.clust), paste0(name, "_hcpc_k.csv"))
  save(data.frame(consolidated = as.integer(as.character(hc$data.clust$clust)),
                  ward = as.integer(as.character(hw$data.clust$clust))),
       paste0(name, "_hcpc_partition.csv"))
  gain <- hw$call$t$inert.gain
  save(data.frame(inertia_gain = gain[1:15]), paste0(name, "_hcpc_gain.csv"))
}

# R's Hartigan-Wong k-means from given centres, many transfers
set.seed(7)
km_x <- matrix(rnorm(3000 * 4), ncol = 4) + rep(c(0, 2, 4), each = 1000)
km_centers <- km_x[c(1, 2, 3, 4, 5), ]
km <- kmeans(km_x, centers = km_centers, iter.max = 10)
save(as.data.frame(km_x), "kmeans_x.csv")
save(as.data.frame(km_centers), "kmeans_centers.csv")
save(data.frame(cluster = km$cluster, iter = km$iter, ifault = km$ifault), "kmeans_result.csv")

cat("reference files written to", out, "\n")
