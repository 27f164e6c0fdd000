# Times lmerTest's Kenward-Roger coefficient table (pbkrtest::vcovAdj and the KR df of every
# coefficient) on the first N rows of a CSV, for bench/kr.mjs. The fit itself is not timed.
# usage: Rscript bench/kr-pbkrtest.R CSV N FORMULA FACTOR1,FACTOR2,...
suppressMessages(library(lmerTest))
a <- commandArgs(trailingOnly = TRUE)
d <- read.csv(a[1])
n <- as.integer(a[2]); if (n > 0 && n < nrow(d)) d <- d[seq_len(n), ]
for (f in strsplit(a[4], ",")[[1]]) d[[f]] <- factor(d[[f]])
m <- lmer(as.formula(a[3]), data = d, REML = TRUE)
t0 <- proc.time()[["elapsed"]]
ct <- coef(summary(m, ddf = "Kenward-Roger"))
t1 <- proc.time()[["elapsed"]]
cat(sprintf('{"n": %d, "seconds": %.4f, "df": [%s]}\n', nrow(d), t1 - t0, paste(sprintf("%.10g", ct[, "df"]), collapse = ", ")))
