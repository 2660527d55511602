/**
 * Record linkage: comparators, blocking, the Fellegi–Sunter model with EM, clustering, the CSV
 * reader and the whole run. See docs/linkage.md.
 */
export { jaro, jaroWinkler, levenshtein, osaDistance, soundex } from './strings.js';
export { DateComparison, parseLinkDate, DATE_FORMATS, type DateFormat, type LinkDate } from './dates.js';
export { compareResidentIds, normaliseResidentId, oneSlipApart, RESIDENT_ID_LEVELS } from './id-numbers.js';
export { compareNames, readName, simplify, NAME_LEVELS, type LinkName } from './chinese-names.js';
export { COMPARATOR_KINDS, NULL_LEVEL, prepareColumn, type ComparatorSpec, type PreparedColumn } from './comparators.js';
export { computeRuleKeys, generateCandidatePairs, keyParts, KEY_TRANSFORMS, type BlockingReport, type CandidatePairs, type RuleKeys } from './blocking.js';
export { matchProbability, scorePairs, type FsModel, type FieldParameters } from './model.js';
export { clusterPairs, UnionFind, type ClusterResult } from './cluster.js';
export { labelIds, scores, type LinkageScores } from './evaluate.js';
export { configColumns, LinkConfigError, parseLinkConfig, type LinkConfig } from './config.js';
export { formatCsvProblem, parseCsv, type CsvProblem, type CsvTable } from './csv.js';
export { LinkInputError, runLinkage, type LinkInput, type LinkRun, type LinkTable } from './pipeline.js';
