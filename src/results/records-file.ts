/**
 * The records file of a results file: `results/x.json` → `results/x.jsonl`, beside it (a name without .json
 * gets .jsonl added). One JSON record per line, appended as the run goes (see run-record-schema.ts).
 */
export function recordsFile(resultsFile: string): string {
  return resultsFile.endsWith('.json') ? `${resultsFile}l` : `${resultsFile}.jsonl`
}
