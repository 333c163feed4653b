// The mapping engine: compile every JSONata expression once, evaluate per record within a time and depth
// budget, validate the result against Plek's rules. Free of n8n.
import jsonata from 'jsonata';

import { parseUserRecord, profilePath, type ProfilePathCache } from '../record/parse';
import { RECORD_FIELDS } from '../record/rules';
import type { PlekUserRecord, ProfileValue } from '../types';
import { referencedColumns } from './columns';
import { BoundedEvaluationError, MappingCompileError } from './errors';
import { compileFastPath, DEFER, type FastExpression } from './fastpath';
import { RECORD_FIELD_ROWS, valueWhenEmpty, type RecordFieldRow } from './fields';
import { DEFAULT_TIME_ZONE, isKnownTimeZone, mapperHelpers } from './helpers';
import { firstUnsupportedRegex, LinearRegExp, regexLiterals, withRegexDeadline } from './regex';
import { sanitizeSource, SourceError } from './sanitize';
import type { CompileOptions, FieldsMappingConfig, MapFailure, MappingConfig, MapResult } from './types';
import {
	checkGroupName,
	checkProfilePath,
	checkProfileValue,
	DEFAULT_MAX_STRING_LENGTH,
	indexSchema,
	kindOf,
	type SchemaIndex,
} from './validate';

export const DEFAULT_TIMEOUT_MS = 1000;
export const DEFAULT_MAX_DEPTH = 200;
export { DEFAULT_TIME_ZONE };

/** Reserved variable name (it carried the budget when the bounds were jsonata hooks): expressions must not use it. */
const BUDGET_BINDING = '__plekBudget';

/** Time and depth budget of one record's evaluation, shared by all its expressions. */
class EvaluationBudget {
	/** The expression jsonata is evaluating for this record (see evaluate): a rejection is its failure. */
	evaluating: CompiledExpression | undefined = undefined;

	constructor(
		readonly deadline: number,
		readonly timeoutMs: number,
		readonly maxDepth: number,
	) {}
}

/**
 * jsonata's own guardrails (2.x): before every evaluation step it checks its depth against `stack` and the time
 * since evaluate() began against `timeout` (Date.now(), no timers), throwing D1011 / D1012. It reads this object
 * when it checks, so `timeout` is set to what is left of the record's budget just before each evaluation: all
 * expressions of a record share one deadline. A CompiledMapping therefore maps one record at a time.
 */
interface Guardrails {
	RegexEngine: RegExpConstructor;
	stack: number;
	timeout: number;
}

const tooDeep = (maxDepth: number) =>
	`bounded evaluation: the expression nests deeper than ${maxDepth} levels (Max Depth); check for non-terminating recursion`;
const tooLong = (timeoutMs: number) =>
	`bounded evaluation: the record took longer than ${timeoutMs} ms (Timeout per Record); check for an endless loop or recursion`;

/** True when the parse tree names the variable anywhere (bound, read or as a parameter). */
function mentionsVariable(node: unknown, name: string, depth = 0): boolean {
	if (typeof node !== 'object' || node === null || depth > 10000) return false;
	if (Array.isArray(node)) return node.some((child) => mentionsVariable(child, name, depth + 1));
	const n = node as Record<string, unknown>;
	if (n.type === 'variable' && n.value === name) return true;
	return Object.keys(n).some((key) => key !== 'position' && mentionsVariable(n[key], name, depth + 1));
}

interface CompiledExpression {
	/** Human name, e.g. `profile field name.givenName`. */
	name: string;
	/** Machine name of the target, e.g. `profile.name.givenName`. */
	field: string;
	source: string;
	expression: jsonata.Expression;
	guardrails: Guardrails;
	/** The expression uses the reserved $__plekBudget: every evaluation fails, naming it. */
	reserved: boolean;
	/** Direct-JavaScript version when the expression is in the fast path's subset (see fastpath.ts). */
	fast?: FastExpression;
	/** The expression can match a regular expression (a regex literal, or $eval that could parse one). */
	usesRegex: boolean;
	/** The input's top-level fields (columns) the expression reads. */
	columns: string[];
}

/** Where a profile value goes: a Profile Fields rule, or a path a Document returned. */
interface ProfileTarget {
	path: string;
	createOnly: boolean;
	/** The value's path holds an e-mail address (the parsed path's isEmail: worked out once per path, not per record). */
	isEmail: boolean;
	source?: string;
}

interface CompiledProfileField extends CompiledExpression {
	path: string;
	createOnly: boolean;
	isEmail: boolean;
}

interface CompiledGroupRule {
	/** The fixed group's name; undefined for a rule that takes the name from the record (`name`). */
	group?: string;
	/** undefined: always (a field-based rule without a condition). */
	condition?: CompiledExpression;
	name?: CompiledExpression;
}

export interface CompiledMapping {
	readonly mode: 'fields' | 'document';
	readonly options: Readonly<Required<Omit<CompileOptions, 'schema'>>> & { schema?: CompileOptions['schema'] };
	/** @internal */
	readonly compiled: {
		/** Fields mode: each record field's expression, aligned with RECORD_FIELD_ROWS (undefined: none). */
		fields: Array<CompiledExpression | undefined>;
		profile: CompiledProfileField[];
		/** What a record evaluates before its group rules: `fields`, then `profile` (one value list per record). */
		values: Array<CompiledExpression | undefined>;
		groups: CompiledGroupRule[];
		document?: CompiledExpression;
		schemaIndex?: SchemaIndex;
		/** Profile paths parsed once per mapping for the record contract check (see finish). */
		pathCache: ProfilePathCache;
		/** Some expression can match a regular expression: each record registers its deadline for the regex engine. */
		usesRegex: boolean;
		/** Fields mode: the expressions behind the record's own fields (aligned with RECORD_FIELD_ROWS), named in its failures. */
		sources: Array<string | undefined>;
	};
}

/** A Document may return any profile paths; beyond this many distinct spellings the path cache starts afresh. */
const PATH_CACHE_LIMIT = 512;

function positiveInteger(value: unknown, fallback: number, name: string): number {
	if (value === undefined || value === null) return fallback;
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
		throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
	}
	return Math.floor(value);
}

function parseExpression(source: string, guardrails: Guardrails): { expression: jsonata.Expression } | { error: unknown } {
	try {
		// Regular expressions run on a linear-time engine; unsupported syntax is refused here, not per record.
		const expression = jsonata(source, guardrails as jsonata.JsonataOptions);
		const unsupported = firstUnsupportedRegex(expression);
		if (unsupported) return { error: unsupported };
		return { expression };
	} catch (error) {
		return { error };
	}
}

function compileExpression(
	name: string,
	field: string,
	source: unknown,
	helpers: Record<string, (...args: unknown[]) => unknown>,
	maxDepth: number,
	fastPath = true,
): CompiledExpression {
	if (typeof source !== 'string' || source.trim() === '') {
		throw new MappingCompileError(name, String(source ?? ''), 'the expression is empty');
	}
	const guardrails: Guardrails = { RegexEngine: LinearRegExp as unknown as RegExpConstructor, stack: maxDepth, timeout: DEFAULT_TIMEOUT_MS };
	const parsed = parseExpression(source, guardrails);
	if (!('expression' in parsed)) {
		const e = parsed.error as { message?: string; position?: number; token?: string; code?: string };
		throw new MappingCompileError(name, source, e.message ?? String(parsed.error), {
			position: e.position,
			token: e.token,
			code: e.code,
		});
	}
	const expression = parsed.expression;
	for (const [helperName, implementation] of Object.entries(helpers)) {
		expression.registerFunction(helperName, implementation);
	}
	const reserved = mentionsVariable(expression.ast(), BUDGET_BINDING);
	const fast = fastPath && !reserved ? compileFastPath(expression.ast(), helpers) : undefined;
	// Regexes come only from literals in the parse tree, or from text that $eval parses while evaluating.
	const usesRegex = regexLiterals(expression.ast()).length > 0 || mentionsVariable(expression.ast(), 'eval');
	return { name, field, source, expression, guardrails, reserved, fast, usesRegex, columns: referencedColumns(expression.ast()) };
}

/** Every expression of a compiled mapping, in the editor's order. */
const expressionsOf = (c: CompiledMapping['compiled']): Array<CompiledExpression | undefined> => [
	c.document,
	...c.values,
	...c.groups.flatMap((rule) => [rule.name, rule.condition]),
];

const isDocumentConfig = (config: MappingConfig): config is { document: string } =>
	typeof (config as { document?: unknown }).document === 'string';

type Compile = (name: string, field: string, source: unknown) => CompiledExpression;

/** The profile rules: each path checked against the record contract (and Plek's schema), none mapped twice. */
function compileProfileFields(
	rules: NonNullable<FieldsMappingConfig['profile']>,
	compile: Compile,
	schemaIndex: SchemaIndex | undefined,
	pathCache: ProfilePathCache,
): CompiledProfileField[] {
	const seenPaths = new Set<string>();
	return rules.map((rule): CompiledProfileField => {
		const path = typeof rule.path === 'string' ? rule.path.trim() : '';
		const name = `profile field ${path || '(no path)'}`;
		const entry = profilePath(path, pathCache, schemaIndex);
		if (typeof entry === 'string') throw new MappingCompileError(name, rule.expression ?? '', checkProfilePath(path, schemaIndex) ?? entry);
		if (seenPaths.has(entry.pathKey)) throw new MappingCompileError(name, rule.expression ?? '', `${path} is mapped twice`);
		seenPaths.add(entry.pathKey);
		return { ...compile(name, `profile.${path}`, rule.expression), path, createOnly: rule.createOnly === true, isEmail: entry.isEmail };
	});
}

/** Group rules: One Fixed Group (a checked name and its condition) or Named by a Field (a name expression, optional condition). */
function compileGroupRules(rules: NonNullable<FieldsMappingConfig['groups']>, compile: Compile, maxStringLength: number): CompiledGroupRule[] {
	return rules.map((rule): CompiledGroupRule => {
		if (typeof rule.groupName === 'string' && rule.groupName.trim() !== '') {
			const label = `group rule (name from ${rule.groupName.trim()})`;
			const condition = typeof rule.condition === 'string' && rule.condition.trim() !== '' ? rule.condition : undefined;
			return {
				name: compile(label, 'groups', rule.groupName),
				condition: condition === undefined ? undefined : compile(`${label} condition`, 'groups', condition),
			};
		}
		const checked = checkGroupName(rule.group, maxStringLength);
		const name = `group rule "${typeof rule.group === 'string' ? rule.group : ''}"`;
		if (checked.reason !== undefined) throw new MappingCompileError(name, rule.condition ?? '', checked.reason);
		return { condition: compile(name, `groups.${checked.value}`, rule.condition), group: checked.value };
	});
}

/**
 * Compile a mapping once. Throws MappingCompileError naming the expression (e.g. `profile field
 * name.givenName`) and the position of a JSONata syntax error, or the reason a target field cannot be used.
 */
export function compileMapping(config: MappingConfig, options: CompileOptions = {}): CompiledMapping {
	const resolved = {
		timeoutMs: positiveInteger(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs'),
		maxDepth: positiveInteger(options.maxDepth, DEFAULT_MAX_DEPTH, 'maxDepth'),
		maxStringLength: positiveInteger(options.maxStringLength, DEFAULT_MAX_STRING_LENGTH, 'maxStringLength'),
		now: options.now ?? (() => new Date()),
		defaultTimeZone: options.defaultTimeZone ?? DEFAULT_TIME_ZONE,
		fastPath: options.fastPath ?? true,
		schema: options.schema,
	};
	if (!isKnownTimeZone(resolved.defaultTimeZone)) {
		throw new MappingCompileError('time zone', resolved.defaultTimeZone, `unknown IANA time zone '${resolved.defaultTimeZone}' (e.g. Europe/Amsterdam)`);
	}
	const helpers = mapperHelpers(resolved.now, resolved.defaultTimeZone);
	const schemaIndex = indexSchema(options.schema);

	if (isDocumentConfig(config)) {
		const document = compileExpression('document', 'document', config.document, helpers, resolved.maxDepth, resolved.fastPath);
		return {
			mode: 'document',
			options: resolved,
			compiled: { document, fields: [], profile: [], values: [], groups: [], schemaIndex, pathCache: new Map(), usesRegex: document.usesRegex, sources: [] },
		};
	}

	const compile: Compile = (name, field, source) => compileExpression(name, field, source, helpers, resolved.maxDepth, resolved.fastPath);
	const fields = RECORD_FIELD_ROWS.map((row) => compileField(row, config[row.field], compile));
	const pathCache: ProfilePathCache = new Map();
	const profile = compileProfileFields(config.profile ?? [], compile, schemaIndex, pathCache);
	const groups = compileGroupRules(config.groups ?? [], compile, resolved.maxStringLength);
	const sources = fields.map((field) => field?.source);
	const compiled = { fields, profile, values: [...fields, ...profile], groups, schemaIndex, pathCache, usesRegex: false, sources };
	compiled.usesRegex = expressionsOf(compiled).some((e) => e?.usesRegex === true);
	return { mode: 'fields', options: resolved, compiled };
}

/** A record field's expression; an empty one is refused (a required field) or means the row's value when empty. */
function compileField(row: RecordFieldRow, source: string | undefined, compile: Compile): CompiledExpression | undefined {
	const empty = source === undefined || (typeof source === 'string' && source.trim() === '');
	return empty && row.whenEmpty !== 'required' ? undefined : compile(row.name, row.field, source);
}

class FieldFailure extends Error {
	constructor(
		readonly reason: string,
		readonly field: string,
		readonly expression?: string,
	) {
		super(reason);
	}
}

/** The fast path's answer, or DEFER when the expression has none or this input needs jsonata. */
const fastValue = (compiled: CompiledExpression, input: unknown): unknown => (compiled.fast ? compiled.fast(input) : DEFER);

const failed = (compiled: CompiledExpression, reason: string) => new FieldFailure(`${compiled.name}: ${reason}`, compiled.field, compiled.source);

/** jsonata's error as the record's failure reason, naming the expression. */
function evaluationFailure(compiled: CompiledExpression, budget: EvaluationBudget, error: unknown): FieldFailure {
	const e = error as { message?: string; position?: number; code?: string };
	let reason: string;
	if (e?.code === 'D1011') reason = tooDeep(budget.maxDepth);
	else if (e?.code === 'D1012') reason = tooLong(budget.timeoutMs);
	else if (error instanceof BoundedEvaluationError) reason = error.message;
	else if (error instanceof RangeError) reason = `bounded evaluation: ${e.message ?? 'stack overflow'}; check for non-terminating recursion`;
	else {
		const where = typeof e?.position === 'number' && e.position > 0 ? ` (position ${e.position})` : '';
		reason = `${e?.message ?? String(error)}${where}`;
	}
	return failed(compiled, reason);
}

/**
 * Starts a jsonata evaluation within what is left of the record's budget and returns jsonata's own promise: no
 * wrapper promise or closure per expression. The budget notes the expression until settled() takes the value, so
 * a rejection becomes that expression's failure (failureOf).
 */
function evaluate(compiled: CompiledExpression, input: unknown, budget: EvaluationBudget): Promise<unknown> {
	if (compiled.reserved) throw failed(compiled, `bounded evaluation: $${BUDGET_BINDING} is reserved and must not be rebound`);
	const remaining = budget.deadline - Date.now();
	if (remaining <= 0) throw failed(compiled, tooLong(budget.timeoutMs));
	compiled.guardrails.timeout = remaining;
	budget.evaluating = compiled;
	return compiled.expression.evaluate(input);
}

/** The value of an evaluation that succeeded: the expression is no longer running (an error now is not its failure). */
function settled(budget: EvaluationBudget, value: unknown): unknown {
	budget.evaluating = undefined;
	return value;
}

/** Group rule results follow JSONata's $boolean(): missing -> false, non-empty text/lists/objects -> true. */
function truthy(value: unknown): boolean {
	if (value === undefined || value === null) return false;
	if (Array.isArray(value)) return value.some(truthy);
	if (typeof value === 'string') return value.length > 0;
	if (typeof value === 'number') return value !== 0;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'function') return false;
	return Object.keys(value as object).length > 0;
}

function fail(reason: string, field: string, expression?: string): never {
	throw new FieldFailure(reason, field, expression);
}

/** What a record's expressions returned, before the checks (parallel lists: no object per value). */
interface RecordParts {
	/** The record fields' values (aligned with RECORD_FIELD_ROWS), then the profile values (aligned with `targets`). */
	values: unknown[];
	/** Where each profile value goes. */
	targets: readonly ProfileTarget[];
	groups: unknown[];
	/** The expression each of `groups`' names came from. */
	groupSources: Array<string | undefined>;
	/** Whether each of `groups`' names came from a source value (a rule named by a field, or Document mode). */
	groupFromField: boolean[];
}

const FIELD_COUNT = RECORD_FIELD_ROWS.length;
/** The key is checked first: a record without a usable key fails on it, whatever else is wrong. */
const KEY_ROW = RECORD_FIELD_ROWS.findIndex((row) => row.field === 'key');

/** A record field's checked value (undefined: the record has none); a failure names the field and its expression. */
function checkField(row: RecordFieldRow, raw: unknown, source: string | undefined, maxStringLength: number): string | boolean | undefined {
	const checked = row.check(raw, maxStringLength);
	if (checked.reason !== undefined) fail(checked.reason, row.field, source);
	return checked.value;
}

/** The profile values checked against their paths (and Plek's schema), and the paths applied on create only. */
function checkProfile(mapping: CompiledMapping, parts: RecordParts): { profile: Record<string, ProfileValue>; createOnly: string[] } {
	const { maxStringLength } = mapping.options;
	const profile: Record<string, ProfileValue> = {};
	const createOnly: string[] = [];
	const { targets, values } = parts;
	for (let i = 0; i < targets.length; i++) {
		const target = targets[i];
		const checked = checkProfileValue(target.path, values[FIELD_COUNT + i], maxStringLength, mapping.compiled.schemaIndex, target.isEmail);
		if (checked.reason !== undefined) fail(checked.reason, `profile.${target.path}`, target.source);
		profile[target.path] = checked.value;
		if (target.createOnly) createOnly.push(target.path);
	}
	return { profile, createOnly: createOnly.sort(compareText) };
}

/** The first e-mail profile value: the userName when there is no expression for it. */
function firstEmail(targets: readonly ProfileTarget[], profile: Record<string, ProfileValue>): ProfileValue | undefined {
	const email = targets.find((t) => t.isEmail && typeof profile[t.path] === 'string');
	return email ? profile[email.path] : undefined;
}

/** The group names checked, sorted, and those only a source value gave (the Sync adds these only into groups it owns). */
function checkGroups(parts: RecordParts, maxStringLength: number): { groups: string[]; fieldGroups?: string[] } {
	const groups = new Set<string>();
	let fieldNamed: Set<string> | undefined;
	for (let i = 0; i < parts.groups.length; i++) {
		const checked = checkGroupName(parts.groups[i], maxStringLength);
		if (checked.reason !== undefined) fail(checked.reason, 'groups', parts.groupSources[i]);
		groups.add(checked.value);
		if (parts.groupFromField[i]) (fieldNamed ??= new Set()).add(checked.value);
	}
	for (let i = 0; fieldNamed && i < parts.groups.length; i++) if (!parts.groupFromField[i]) fieldNamed.delete(parts.groups[i] as string);
	const sorted = [...groups].sort(compareText);
	return fieldNamed && fieldNamed.size > 0 ? { groups: sorted, fieldGroups: [...fieldNamed].sort(compareText) } : { groups: sorted };
}

/**
 * The record from its checked parts: the key, the profile values, the other record fields (RECORD_FIELD_ROWS), the
 * groups; then the one record contract check (core/record), so what the Mapper outputs is exactly what Sync accepts.
 */
function finish(mapping: CompiledMapping, parts: RecordParts, sources: ReadonlyArray<string | undefined>): PlekUserRecord {
	const { maxStringLength } = mapping.options;
	const key = checkField(RECORD_FIELD_ROWS[KEY_ROW], parts.values[KEY_ROW], sources[KEY_ROW], maxStringLength);
	const { profile, createOnly } = checkProfile(mapping, parts);
	const record: Record<string, unknown> = { key };
	for (let i = 0; i < FIELD_COUNT; i++) {
		if (i === KEY_ROW) continue;
		const row = RECORD_FIELD_ROWS[i];
		const raw = row.fromFirstEmail && parts.values[i] === undefined && sources[i] === undefined ? firstEmail(parts.targets, profile) : parts.values[i];
		const value = checkField(row, raw, sources[i], maxStringLength);
		if (value !== undefined) record[row.field] = value;
	}
	const { groups, fieldGroups } = checkGroups(parts, maxStringLength);
	record.profile = profile;
	record.createOnly = createOnly;
	record.groups = groups;
	if (fieldGroups) record.fieldGroups = fieldGroups;
	// Paths are parsed once per mapping, not per record (that was most of the Mapper's time on plain rules).
	const cache = mapping.compiled.pathCache;
	if (cache.size > PATH_CACHE_LIMIT) cache.clear();
	const contract = parseUserRecord(record, { maxStringLength }, { cache });
	if (!contract.ok) fail(contract.problems.join('; '), 'record');
	return record as unknown as PlekUserRecord;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One group rule: a fixed group when its condition holds; a field-based rule adds the name(s) its expression returns
 * (text, or a list of texts; nothing / null / '' -> no group; anything else fails the record naming the rule).
 * Called when the rule's condition holds, with the name expression's result.
 */
function addGroups(rule: CompiledGroupRule, value: unknown, parts: RecordParts): void {
	if (!rule.name) {
		parts.groups.push(rule.group);
		parts.groupSources.push(rule.condition?.source);
		parts.groupFromField.push(false);
		return;
	}
	const names = Array.isArray(value) ? value : [value];
	for (const name of names) {
		if (name === undefined || name === null || (typeof name === 'string' && name.trim() === '')) continue;
		if (typeof name !== 'string') fail(`${rule.name.name}: a group name must be text, got ${kindOf(name)}`, 'groups', rule.name.source);
		parts.groups.push(name);
		parts.groupSources.push(rule.name.source);
		parts.groupFromField.push(true);
	}
}

/**
 * Each value comes from the fast path when it can answer, else from jsonata: one await per jsonata evaluation and
 * no promise otherwise (no async helper per rule or value). A field without an expression has its row's value.
 */
async function mapFields(mapping: CompiledMapping, input: unknown, budget: EvaluationBudget): Promise<PlekUserRecord> {
	const c = mapping.compiled;
	const values: unknown[] = [];
	for (let i = 0; i < c.values.length; i++) {
		const compiled = c.values[i];
		let value = compiled ? fastValue(compiled, input) : i < FIELD_COUNT ? valueWhenEmpty(RECORD_FIELD_ROWS[i]) : undefined;
		if (value === DEFER) value = settled(budget, await evaluate(compiled!, input, budget));
		values.push(value);
	}
	const parts: RecordParts = { values, targets: c.profile, groups: [], groupSources: [], groupFromField: [] };
	for (const rule of c.groups) {
		if (rule.condition) {
			let holds = fastValue(rule.condition, input);
			if (holds === DEFER) holds = settled(budget, await evaluate(rule.condition, input, budget));
			if (!truthy(holds)) continue;
		}
		let name = rule.name ? fastValue(rule.name, input) : undefined;
		if (name === DEFER) name = settled(budget, await evaluate(rule.name!, input, budget));
		addGroups(rule, name, parts);
	}
	return finish(mapping, parts, c.sources);
}

/** The object a Document returned: no field but the record's own, a profile object, createOnly paths in it. */
function documentObject(result: unknown, expr: string): Record<string, unknown> {
	if (result === null || typeof result !== 'object' || Array.isArray(result)) {
		fail(`document must return one object {key, userName, active, profile, groups}, got ${kindOf(result)}`, 'document', expr);
	}
	const doc = result as Record<string, unknown>;
	for (const name of Object.keys(doc)) {
		if (!RECORD_FIELDS.has(name)) {
			fail(`document returned an unknown record field '${name}' (allowed: ${[...RECORD_FIELDS].join(', ')})`, name, expr);
		}
	}
	return doc;
}

/** A Document's profile paths as targets, each checked (and parsed) once per spelling; none addressed twice. */
function documentTargets(mapping: CompiledMapping, doc: Record<string, unknown>, expr: string): { targets: ProfileTarget[]; profile: unknown[] } {
	const rawProfile = doc.profile === undefined || doc.profile === null ? {} : doc.profile;
	if (typeof rawProfile !== 'object' || Array.isArray(rawProfile)) {
		fail(`profile must be an object of {path: value}, got ${kindOf(rawProfile)}`, 'profile', expr);
	}
	const createOnlyRaw = doc.createOnly === undefined || doc.createOnly === null ? [] : doc.createOnly;
	const createOnlyList = Array.isArray(createOnlyRaw) ? createOnlyRaw : [createOnlyRaw];
	const profilePaths = Object.keys(rawProfile as object);
	for (const path of createOnlyList) {
		if (typeof path !== 'string' || !profilePaths.includes(path)) {
			fail(`createOnly entry ${kindOf(path)} is not a path in profile`, 'createOnly', expr);
		}
	}
	const seenPaths = new Set<string>();
	const { pathCache, schemaIndex } = mapping.compiled;
	const targets = profilePaths.map((path): ProfileTarget => {
		const entry = profilePath(path, pathCache, schemaIndex);
		if (typeof entry === 'string') fail(checkProfilePath(path, schemaIndex) ?? entry, `profile.${path}`, expr);
		if (seenPaths.has(entry.pathKey)) fail(`${path} appears twice in profile (paths compare case-insensitively)`, `profile.${path}`, expr);
		seenPaths.add(entry.pathKey);
		return { path, createOnly: createOnlyList.includes(path), isEmail: entry.isEmail, source: expr };
	});
	return { targets, profile: profilePaths.map((path) => (rawProfile as Record<string, unknown>)[path]) };
}

async function mapDocument(mapping: CompiledMapping, input: unknown, budget: EvaluationBudget): Promise<PlekUserRecord> {
	const document = mapping.compiled.document!;
	const expr = document.source;
	const doc = documentObject(settled(budget, await evaluate(document, input, budget)), expr);
	const { targets, profile } = documentTargets(mapping, doc, expr);
	// A field the document leaves out has its row's value; a userName left out is the first e-mail profile value.
	const fields = RECORD_FIELD_ROWS.map((row) => (doc[row.field] === undefined ? valueWhenEmpty(row) : doc[row.field]));
	const sources = RECORD_FIELD_ROWS.map((row) => (row.fromFirstEmail && doc[row.field] === undefined ? undefined : expr));
	const rawGroups = doc.groups === undefined || doc.groups === null ? [] : doc.groups;
	const groups = Array.isArray(rawGroups) ? rawGroups : [rawGroups];
	const fieldList: unknown[] = Array.isArray(doc.fieldGroups) ? doc.fieldGroups : doc.fieldGroups === undefined || doc.fieldGroups === null ? [] : [doc.fieldGroups];
	const parts: RecordParts = {
		values: [...fields, ...profile],
		targets,
		groups,
		groupSources: groups.map(() => expr),
		// The document is the admin's own rule: its names are literal, except those it lists in `fieldGroups`.
		groupFromField: groups.map((g) => fieldList.includes(g)),
	};
	return finish(mapping, parts, sources);
}

/** Map one source record (any JSON-like value) to a Plek user record, or say why it cannot be mapped. */
export async function mapRecord(mapping: CompiledMapping, sourceRecord: unknown): Promise<MapResult> {
	let input: unknown;
	try {
		input = sanitizeSource(sourceRecord);
	} catch (error) {
		if (error instanceof SourceError) return { ok: false, reason: error.message, field: 'source' };
		return rethrow(error);
	}
	const { timeoutMs, maxDepth } = mapping.options;
	const budget = new EvaluationBudget(Date.now() + timeoutMs, timeoutMs, maxDepth);
	const map = () => (mapping.mode === 'document' ? mapDocument(mapping, input, budget) : mapFields(mapping, input, budget));
	try {
		// One regex deadline for the record (the linear-time regex engine checks it), around all its expressions;
		// a mapping that cannot match a regular expression needs none.
		const record = mapping.compiled.usesRegex ? await withRegexDeadline(budget.deadline, timeoutMs, map) : await map();
		return { ok: true, record };
	} catch (error) {
		return failureOf(error, budget);
	}
}

/** Unexpected errors (bugs, not bad data) propagate to the caller unchanged. */
function rethrow(error: unknown): never {
	throw error;
}

/** A record's failure: a check that failed, or the error of the expression jsonata was evaluating. Bugs propagate. */
function failureOf(error: unknown, budget: EvaluationBudget): MapFailure {
	const failure = error instanceof FieldFailure ? error : budget.evaluating ? evaluationFailure(budget.evaluating, budget, error) : undefined;
	if (!failure) return rethrow(error);
	const result: MapFailure = { ok: false, reason: failure.reason, field: failure.field };
	if (failure.expression !== undefined) result.expression = failure.expression;
	return result;
}

/**
 * Map a whole run. Results are in input order. Adds the run-wide rule: records that share a mapping key are
 * ALL invalid (never "first wins").
 */
export async function mapAll(mapping: CompiledMapping, records: readonly unknown[]): Promise<MapResult[]> {
	const results: MapResult[] = [];
	for (const record of records) results.push(await mapRecord(mapping, record));
	return applyRunValidation(mapping, results);
}

/**
 * The run-wide rules over per-record results (for callers that map record by record, like the node):
 * every record whose key also belongs to another valid record of the run becomes invalid. Returns a new array;
 * `undefined` entries (records the caller handled itself) are left as they are.
 */
export function applyRunValidation<T extends MapResult | undefined>(mapping: CompiledMapping, input: readonly T[]): Array<T | MapFailure> {
	const results: Array<T | MapFailure> = [...input];
	const byKey = new Map<string, number[]>();
	results.forEach((result, index) => {
		if (!result || !result.ok) return;
		const list = byKey.get(result.record.key);
		if (list) list.push(index);
		else byKey.set(result.record.key, [index]);
	});
	const keyExpression = mapping.mode === 'document' ? mapping.compiled.document!.source : mapping.compiled.sources[KEY_ROW];
	for (const [key, indexes] of byKey) {
		if (indexes.length < 2) continue;
		for (const index of indexes) {
			results[index] = {
				ok: false,
				reason: `duplicate mapping key '${key}': records ${indexes.map((i) => i + 1).join(', ')} of this run share it, so none of them is synced`,
				field: 'key',
				expression: keyExpression,
			};
		}
	}
	return results;
}

/**
 * Evaluate one JSONata expression with the mapper's helpers and bounds, e.g. to try a rule or run documented
 * examples. Throws MappingCompileError for syntax errors and an Error with the reason when evaluation fails.
 */
export async function evaluateExpression(expression: string, input: unknown, options: CompileOptions = {}): Promise<unknown> {
	const timeoutMs = positiveInteger(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
	const maxDepth = positiveInteger(options.maxDepth, DEFAULT_MAX_DEPTH, 'maxDepth');
	const helpers = mapperHelpers(options.now ?? (() => new Date()), options.defaultTimeZone ?? DEFAULT_TIME_ZONE);
	const compiled = compileExpression('expression', 'expression', expression, helpers, maxDepth);
	const budget = new EvaluationBudget(Date.now() + timeoutMs, timeoutMs, maxDepth);
	const source = sanitizeSource(input);
	try {
		return settled(budget, await withRegexDeadline(budget.deadline, timeoutMs, () => evaluate(compiled, source, budget)));
	} catch (error) {
		return rethrow(new Error(failureOf(error, budget).reason));
	}
}

/** Every expression of a compiled mapping with the editor's name for it, its text and the columns it reads. */
export function mappingExpressions(mapping: CompiledMapping): Array<{ name: string; source: string; columns: string[]; ast: unknown }> {
	return expressionsOf(mapping.compiled)
		.filter((e): e is CompiledExpression => e !== undefined)
		.map((e) => ({ name: e.name, source: e.source, columns: e.columns, ast: e.expression.ast() }));
}
