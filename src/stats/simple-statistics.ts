// The adapter of simple-statistics: the only file importing it (dependency-cruiser's
// third-party-adapters-simple-statistics). Its functions take and return plain numbers, so nothing leaks.
// simple-statistics 7.12's limits (DESIGN.md): wilcoxonRankSum returns only the rank sum, errorFunction is good
// to about 1e-8; the gate computes its own p-values and quantiles from them.
export {
  errorFunction,
  mean,
  median,
  medianAbsoluteDeviation,
  sampleRankCorrelation,
  sampleStandardDeviation,
  wilcoxonRankSum,
} from 'simple-statistics'
