// parseUserRecord: the one parser of the Plek user record (Mapper output = Sync input = what the Plek node
// writes). Returns the problems naming each field, never throws, never copies the profile.
import { formatScimPath, parseScimPath, scimPathKey, type ScimPath } from '../scimPath';
import type { ProfileValue } from '../types';
import {
	checkProfilePath,
	checkString,
	DEFAULT_RECORD_LIMITS,
	HOSTILE_NAMES,
	isEmailPath,
	MAX_GROUPS_PER_RECORD,
	profileValueProblem,
	RECORD_FIELDS,
	startDateProblem,
	userNameProblem,
	type RecordLimits,
	type SchemaIndex,
} from './rules';

/** A profile path parsed once per run (shared by every record that uses it). */
export interface ProfilePath {
	/** As the record spells it. */
	readonly path: string;
	readonly parsed: ScimPath;
	/** Comparison key: two spellings of one attribute share it. */
	readonly pathKey: string;
	/** Canonical spelling, as written in a PATCH. */
	readonly formatted: string;
	/** A core `emails` value path (adoption and key-change matching use these). */
	readonly isEmail: boolean;
}

/** Parsed paths (or the reason a path is refused) by spelling; share one per run so each path is parsed once. */
export type ProfilePathCache = Map<string, ProfilePath | string>;

export interface ParsedUserRecord {
	/** Position in the input (0-based), when the caller gave one. */
	index: number;
	key: string;
	userName?: string;
	active: boolean;
	/** The record's own profile object (not copied); read values through `paths`. */
	profile: Readonly<Record<string, ProfileValue>>;
	paths: readonly ProfilePath[];
	/** Path keys (ProfilePath.pathKey) applied on create only. */
	createOnly: readonly string[];
	/** Group names, deduplicated case-insensitively, as given. */
	groups: readonly string[];
	/** First working day `YYYY-MM-DD` (pre-hires, planner/prehires.ts); undefined when the record has none. */
	startDate?: string;
	/** The manager's mapping key (absent, null or '' in the record: none). */
	manager?: string;
}

export type ParseResult =
	| { ok: true; record: ParsedUserRecord }
	| { ok: false; problems: string[]; key?: string };

export interface ParseOptions {
	/** Share across the records of a run. */
	cache?: ProfilePathCache;
	/** Plek's schema (/Schemas), when known: unknown, dateTime, binary and read-only attributes are refused. */
	schema?: SchemaIndex;
	/** Position of the record in its input (ParsedUserRecord.index). */
	index?: number;
}

const EMPTY: readonly never[] = Object.freeze([]);

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parsed path, or why it is refused. */
export function profilePath(path: string, cache: ProfilePathCache, schema?: SchemaIndex): ProfilePath | string {
	let entry = cache.get(path);
	if (entry === undefined) {
		const problem = checkProfilePath(path, schema);
		if (problem !== undefined) {
			entry = `profile path "${path}" is refused: ${problem}`;
		} else {
			const parsed = parseScimPath(path);
			entry = {
				path,
				parsed,
				pathKey: scimPathKey(parsed),
				formatted: formatScimPath(parsed),
				isEmail: isEmailPath(path),
			};
		}
		cache.set(path, entry);
	}
	return entry;
}

function checkFields(raw: Record<string, unknown>, problems: string[]): void {
	// for-in: no array per record (a record is a plain object; anything inherited is refused as unknown too).
	for (const name in raw) {
		if (RECORD_FIELDS.has(name)) continue;
		problems.push(
			HOSTILE_NAMES.has(name)
				? `the record field "${name}" is not allowed (a reserved name)`
				: `the record field "${name}" is unknown (allowed: ${[...RECORD_FIELDS].join(', ')})`,
		);
	}
}

function checkKey(key: unknown, limits: RecordLimits, problems: string[]): void {
	if (typeof key !== 'string' || key.trim() === '') {
		problems.push('the mapping key ("key") is missing or empty');
		return;
	}
	const bad = checkString(key, limits.maxStringLength);
	if (bad) problems.push(`the mapping key ${bad}`);
}

function checkUserName(userName: unknown, limits: RecordLimits, problems: string[]): void {
	if (userName === undefined || userName === null) return;
	if (typeof userName !== 'string' || userName.trim() === '') {
		problems.push('"userName" must be a non-empty string');
		return;
	}
	const bad = userNameProblem(userName, limits.maxStringLength);
	if (bad) problems.push(bad);
}

function withPathKey(paths: readonly ProfilePath[], pathKey: string): ProfilePath | undefined {
	for (const p of paths) if (p.pathKey === pathKey) return p;
	return undefined;
}

function parseProfile(raw: unknown, limits: RecordLimits, options: ParseOptions, problems: string[]): ProfilePath[] {
	if (raw === undefined || raw === null) return EMPTY as unknown as ProfilePath[];
	if (!isObject(raw)) {
		problems.push('"profile" must be an object of SCIM path -> value');
		return EMPTY as unknown as ProfilePath[];
	}
	const cache = options.cache ?? new Map();
	const paths: ProfilePath[] = [];
	for (const path in raw) {
		const entry = profilePath(path, cache, options.schema);
		if (typeof entry === 'string') {
			problems.push(entry);
			continue;
		}
		const bad = profileValueProblem(path, raw[path], limits, entry.isEmail);
		if (bad) {
			problems.push(bad);
			continue;
		}
		// Few paths per record: a scan is cheaper than a Set per record.
		const earlier = withPathKey(paths, entry.pathKey);
		if (earlier) problems.push(`profile paths "${earlier.path}" and "${path}" address the same attribute`);
		else paths.push(entry);
	}
	return paths;
}

function parseCreateOnly(raw: unknown, paths: readonly ProfilePath[], options: ParseOptions, problems: string[]): readonly string[] {
	if (raw === undefined || raw === null) return EMPTY;
	if (!Array.isArray(raw)) {
		problems.push('"createOnly" must be a list of profile paths');
		return EMPTY;
	}
	if (raw.length === 0) return EMPTY;
	const keys: string[] = [];
	const cache = options.cache ?? new Map();
	for (const path of raw) {
		const entry = typeof path === 'string' ? profilePath(path, cache, options.schema) : undefined;
		if (entry === undefined || typeof entry === 'string') {
			problems.push(`createOnly: ${entry ?? `entry ${JSON.stringify(path)} is not a path`}`);
		} else if (withPathKey(paths, entry.pathKey) === undefined) {
			problems.push(`createOnly: entry "${path}" is not a path in profile`);
		} else {
			keys.push(entry.pathKey);
		}
	}
	return keys;
}

function hasGroup(groups: readonly string[], lower: string): boolean {
	for (const g of groups) if (g.toLowerCase() === lower) return true;
	return false;
}

function parseGroups(raw: unknown, limits: RecordLimits, problems: string[]): readonly string[] {
	if (raw === undefined || raw === null) return EMPTY;
	if (!Array.isArray(raw)) {
		problems.push('"groups" must be a list of group names');
		return EMPTY;
	}
	if (raw.length > MAX_GROUPS_PER_RECORD) {
		problems.push(`"groups" names ${raw.length} groups; at most ${MAX_GROUPS_PER_RECORD} per person (check the group rules)`);
		return EMPTY;
	}
	const groups: string[] = [];
	for (const group of raw) {
		const bad = typeof group !== 'string' || group.trim() === '' ? 'is empty or not text' : checkString(group, limits.maxStringLength);
		if (bad) {
			problems.push(`group name ${JSON.stringify(group)} is not a usable group name: it ${bad}`);
			continue;
		}
		if (!hasGroup(groups, group.toLowerCase())) groups.push(group);
	}
	return groups;
}

/** `manager`: the manager's mapping key, as text; absent, null or '' means none. */
function parseManager(raw: unknown, limits: RecordLimits, problems: string[]): string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const bad = typeof raw !== 'string' ? 'is not text' : raw.trim() === '' ? 'is only spaces' : checkString(raw, limits.maxStringLength);
	if (bad) {
		problems.push(`"manager" must be the manager's mapping key (text): it ${bad}`);
		return undefined;
	}
	return raw as string;
}

/**
 * Parses one Plek user record (docs/plek-user-record.schema.json). `profile` may be absent (no values);
 * `userName` may be absent (then the Sync cannot create the user). Problems name the field.
 */
export function parseUserRecord(raw: unknown, limits: RecordLimits = DEFAULT_RECORD_LIMITS, options: ParseOptions = {}): ParseResult {
	if (!isObject(raw)) return { ok: false, problems: ['the record is not an object'] };
	const problems: string[] = [];
	checkFields(raw, problems);
	checkKey(raw.key, limits, problems);
	if (typeof raw.active !== 'boolean') problems.push('"active" must be true or false');
	checkUserName(raw.userName, limits, problems);
	const paths = parseProfile(raw.profile, limits, options, problems);
	const createOnly = parseCreateOnly(raw.createOnly, paths, options, problems);
	const groups = parseGroups(raw.groups, limits, problems);
	const startProblem = startDateProblem(raw.startDate);
	if (startProblem) problems.push(startProblem);
	const manager = parseManager(raw.manager, limits, problems);
	if (problems.length > 0) return { ok: false, problems, key: typeof raw.key === 'string' ? raw.key : undefined };
	return {
		ok: true,
		record: {
			index: options.index ?? 0,
			key: raw.key as string,
			userName: typeof raw.userName === 'string' ? raw.userName : undefined,
			active: raw.active as boolean,
			profile: (raw.profile ?? EMPTY_PROFILE) as Record<string, ProfileValue>,
			paths,
			createOnly,
			groups,
			startDate: typeof raw.startDate === 'string' && raw.startDate !== '' ? raw.startDate : undefined,
			...(manager !== undefined ? { manager } : {}),
		},
	};
}

const EMPTY_PROFILE: Readonly<Record<string, ProfileValue>> = Object.freeze({});

/** The record's non-empty e-mail values (emails[...].value paths). */
export function recordEmails(record: ParsedUserRecord): string[] {
	const emails: string[] = [];
	for (const p of record.paths) {
		const value = record.profile[p.path];
		if (p.isEmail && typeof value === 'string' && value !== '') emails.push(value);
	}
	return emails;
}
