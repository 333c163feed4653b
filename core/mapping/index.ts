// Public API of the mapping engine (free of n8n).
export {
	applyRunValidation,
	compileMapping,
	evaluateExpression,
	mapAll,
	mappingExpressions,
	mapRecord, DEFAULT_MAX_DEPTH, DEFAULT_TIMEOUT_MS, DEFAULT_TIME_ZONE } from './engine';
export type { CompiledMapping } from './engine';
export { MappingCompileError, HelperError, BoundedEvaluationError } from './errors';
export * as helpers from './helpers';
export { sanitizeSource, HOSTILE_KEYS } from './sanitize';
export { checkProfilePath, indexSchema, normaliseAttributePath, DEFAULT_MAX_STRING_LENGTH } from './validate';
export { parseUserRecord, DEFAULT_RECORD_LIMITS, type RecordLimits } from '../record';
export type {
	AttributeInfo,
	CompileOptions,
	DocumentMappingConfig,
	FieldsMappingConfig,
	GroupRule,
	MapFailure,
	MappingConfig,
	MapResult,
	MapSuccess,
	ProfileFieldRule,
} from './types';
export { columnsOf, findMissingColumns, invisibleDifference, nearestColumn, needsBackticks, referencedColumns, showName, withoutLeadingBom } from './columns';
export type { MissingColumn } from './columns';
export {
	columnNotices,
	DEFAULT_MAX_INVALID_PERCENT,
	diagnoseColumns,
	explainFailures,
	invalidShare,
	removeLeadingBom,
	type ColumnDiagnosis,
} from './diagnose';
