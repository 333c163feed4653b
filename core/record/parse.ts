// parseUserRecord: the one parser of the Plek user record (Mapper output = Sync input = what the Plek node
// writes). Returns the problems naming each field, never throws, never copies the profile.
import { formatScimPath, isEmailValuePath, parseScimPath, scimPathKey, type ScimPath } from '../scimPath';
import type { ProfileValue } from '../types';
import {
	checkProfilePath,
	checkString,
	DEFAULT_RECORD_LIMITS,
	HOSTILE_NAMES,
	isAsciiText,
	leaveDateProblem,
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
	/** Group names, deduplicated case-insensitively, as given (the record's own list when it needed no change). */
	groups: readonly string[];
	/** The names in `groups` that a source value gave (a group rule named by a field, or document mode): the Sync adds
	 * these only into groups it owns (core/sync/planner/ownership.ts). Undefined: every name is a rule's literal. */
	fieldGroups?: readonly string[];
	/** First working day `YYYY-MM-DD` (pre-hires, planner/prehires.ts); undefined when the record has none. */
	startDate?: string;
	/** Leave date `YYYY-MM-DD` (the Sync reports people leaving on a date ahead); undefined when the record has none. */
	leaveDate?: string;
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
				isEmail: isEmailValuePath(parsed),
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

/** Checks the userName; returns it when it is a valid e-mail address (a profile e-mail equal to it needs no second check). */
function checkUserName(userName: unknown, limits: RecordLimits, problems: string[]): string | undefined {
	if (userName === undefined || userName === null) return undefined;
	// userNameProblem passes a plain ASCII e-mail address with one regex (its shortcut): a blank name is told apart
	// only once it has failed, so the common case does no trim.
	const notAName = '"userName" must be a non-empty string';
	if (typeof userName !== 'string') {
		problems.push(notAName);
		return undefined;
	}
	const bad = userNameProblem(userName, limits.maxStringLength);
	if (bad) {
		problems.push(userName.trim() === '' ? notAName : bad);
		return undefined;
	}
	return userName.includes('@') ? userName : undefined;
}

function withPathKey(paths: readonly ProfilePath[], pathKey: string, count = paths.length): ProfilePath | undefined {
	for (let i = 0; i < count; i++) if (paths[i].pathKey === pathKey) return paths[i];
	return undefined;
}

// Records of one run nearly always have the same profile paths in the same order (one mapping made them): such
// records share one list of ProfilePaths instead of a list each (readonly, but not frozen: V8 allocates an
// iterator per for-of over a frozen array). The paths are collected in a scratch list first (a fresh one if a
// parse is already using it), then compared with the previous record's list. The scratch list is never shrunk
// (that would free its storage): its first `count` entries are this record's.
const SCRATCH: ProfilePath[] = [];
let scratchInUse = false;
let previousPaths: readonly ProfilePath[] = EMPTY;
/** The cache the previous list's entries came from: only a record parsed with the same cache may reuse them. */
let previousCache: ProfilePathCache | undefined;

function sharedPaths(collected: readonly ProfilePath[], count: number, cache: ProfilePathCache): readonly ProfilePath[] {
	if (count === 0) return EMPTY;
	const previous = previousPaths;
	let same = previous.length === count;
	for (let i = 0; same && i < count; i++) same = previous[i] === collected[i];
	if (same) return previous;
	previousPaths = collected.slice(0, count);
	previousCache = cache;
	return previousPaths;
}

function parseProfile(raw: unknown, limits: RecordLimits, options: ParseOptions, problems: string[], validEmail: string | undefined): readonly ProfilePath[] {
	if (raw === undefined || raw === null) return EMPTY;
	if (!isObject(raw)) {
		problems.push('"profile" must be an object of SCIM path -> value');
		return EMPTY;
	}
	const ownsScratch = !scratchInUse;
	const paths = ownsScratch ? SCRATCH : [];
	const cache = options.cache ?? new Map();
	scratchInUse = true;
	try {
		return sharedPaths(paths, collectPaths(raw, limits, cache, options.schema, problems, paths, validEmail), cache);
	} finally {
		if (ownsScratch) scratchInUse = false;
	}
}

/**
 * Writes the record's valid paths into `paths` from index 0; returns how many. `validEmail`: an address this
 * record already passed under the same rules (its userName), so an e-mail value equal to it is not checked again.
 */
function collectPaths(
	raw: Record<string, unknown>,
	limits: RecordLimits,
	cache: ProfilePathCache,
	schema: SchemaIndex | undefined,
	problems: string[],
	paths: ProfilePath[],
	validEmail: string | undefined,
): number {
	let count = 0;
	// While the paths so far are the previous record's, in order, they hold no two spellings of one attribute
	// (a stored list never does), so the scan for an earlier spelling is skipped; and a path spelled as the
	// previous record's at the same place is that entry (from this cache), so it needs no cache lookup.
	const previous = previousCache === cache ? previousPaths : EMPTY;
	let asPrevious = true;
	for (const path in raw) {
		const known: ProfilePath | undefined = previous[count];
		const entry = known !== undefined && known.path === path ? known : profilePath(path, cache, schema);
		if (typeof entry === 'string') {
			problems.push(entry);
			continue;
		}
		const value = raw[path];
		const bad = entry.isEmail && validEmail !== undefined && value === validEmail ? undefined : profileValueProblem(path, value, limits, entry.isEmail);
		if (bad) {
			problems.push(bad);
			continue;
		}
		// Few paths per record: a scan is cheaper than a Set per record.
		asPrevious &&= previous[count] === entry;
		const earlier = asPrevious ? undefined : withPathKey(paths, entry.pathKey, count);
		if (earlier) problems.push(`profile paths "${earlier.path}" and "${path}" address the same attribute`);
		else paths[count++] = entry;
	}
	return count;
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

/** a.toLowerCase() === b.toLowerCase(), without lower-casing (allocating) when the texts are ASCII. */
export function equalIgnoringCase(a: string, b: string): boolean {
	if (a === b) return true;
	if (a.length !== b.length) {
		// Only a non-ASCII letter whose lower case is longer (such as İ) can make texts of different lengths equal.
		return !(isAsciiText(a) && isAsciiText(b)) && a.toLowerCase() === b.toLowerCase();
	}
	for (let i = 0; i < a.length; i++) {
		let x = a.charCodeAt(i);
		let y = b.charCodeAt(i);
		if (x > 127 || y > 127) return a.toLowerCase() === b.toLowerCase();
		if (x >= 65 && x <= 90) x += 32;
		if (y >= 65 && y <= 90) y += 32;
		if (x !== y) return false; // everything before was ASCII: the lower-cased texts differ here too
	}
	return true;
}

/** Whether one of the first `count` entries of `groups` names `group` (case-insensitively). */
function hasGroup(groups: readonly unknown[], count: number, group: string): boolean {
	for (let i = 0; i < count; i++) {
		const g = groups[i];
		if (typeof g === 'string' && equalIgnoringCase(g, group)) return true;
	}
	return false;
}

function groupProblem(group: unknown, limits: RecordLimits): string | undefined {
	return typeof group !== 'string' || group.trim() === '' ? 'is empty or not text' : checkString(group, limits.maxStringLength);
}

/** The group names; the record's own list when every name is usable and none repeats (no copy per record). */
function parseGroups(raw: unknown, limits: RecordLimits, problems: string[], field = 'groups'): readonly string[] {
	if (raw === undefined || raw === null) return EMPTY;
	if (!Array.isArray(raw)) {
		problems.push(`"${field}" must be a list of group names`);
		return EMPTY;
	}
	if (raw.length > MAX_GROUPS_PER_RECORD) {
		problems.push(`"${field}" names ${raw.length} groups; at most ${MAX_GROUPS_PER_RECORD} per person (check the group rules)`);
		return EMPTY;
	}
	let groups: string[] | undefined; // a copy, made at the first name left out
	for (let i = 0; i < raw.length; i++) {
		const group: unknown = raw[i];
		const bad = groupProblem(group, limits);
		const repeated = !bad && hasGroup(groups ?? raw, groups ? groups.length : i, group as string);
		if (bad) problems.push(`group name ${JSON.stringify(group)} is not a usable group name: it ${bad}`);
		// Everything before i was kept, so the copy starts as those names.
		if (bad || repeated) groups ??= raw.slice(0, i) as string[];
		else groups?.push(group as string);
	}
	return groups ?? (raw.length === 0 ? EMPTY : (raw as string[]));
}

/** `fieldGroups`: which of `groups` came from a source value; each must be one of `groups`. */
function parseFieldGroups(raw: unknown, groups: readonly string[], limits: RecordLimits, problems: string[]): readonly string[] | undefined {
	if (raw === undefined || raw === null) return undefined;
	const names = parseGroups(raw, limits, problems, 'fieldGroups');
	for (const name of names) {
		if (!hasGroup(groups, groups.length, name)) problems.push(`"fieldGroups" names ${JSON.stringify(name)}, which is not in "groups"`);
	}
	return names.length > 0 ? names : undefined;
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
	const problems: string[] = [];
	const record = parseRecordOrProblems(raw, limits, options, problems);
	if (record) return { ok: true, record };
	return isObject(raw) ? { ok: false, problems, key: invalidRecordKey(raw) } : { ok: false, problems };
}

/** The key of a record that did not parse, when it has a text one (its problems are reported under it). */
export function invalidRecordKey(raw: unknown): string | undefined {
	return isObject(raw) && typeof raw.key === 'string' ? raw.key : undefined;
}

/**
 * parseUserRecord without a result object per record (the Sync parses 100k of them): the record, or undefined
 * with its problems added to `problems` (the caller's list, which it may reuse between records).
 */
export function parseRecordOrProblems(raw: unknown, limits: RecordLimits, options: ParseOptions, problems: string[]): ParsedUserRecord | undefined {
	if (!isObject(raw)) {
		problems.push('the record is not an object');
		return undefined;
	}
	const before = problems.length;
	checkFields(raw, problems);
	checkKey(raw.key, limits, problems);
	if (typeof raw.active !== 'boolean') problems.push('"active" must be true or false');
	const validEmail = checkUserName(raw.userName, limits, problems);
	const paths = parseProfile(raw.profile, limits, options, problems, validEmail);
	const createOnly = parseCreateOnly(raw.createOnly, paths, options, problems);
	const groups = parseGroups(raw.groups, limits, problems);
	const fieldGroups = raw.fieldGroups === undefined ? undefined : parseFieldGroups(raw.fieldGroups, groups, limits, problems);
	const startProblem = startDateProblem(raw.startDate);
	if (startProblem) problems.push(startProblem);
	const leaveProblem = leaveDateProblem(raw.leaveDate);
	if (leaveProblem) problems.push(leaveProblem);
	const manager = parseManager(raw.manager, limits, problems);
	if (problems.length > before) return undefined;
	return {
		index: options.index ?? 0,
		key: raw.key as string,
		userName: typeof raw.userName === 'string' ? raw.userName : undefined,
		active: raw.active as boolean,
		profile: (raw.profile ?? EMPTY_PROFILE) as Record<string, ProfileValue>,
		paths,
		createOnly,
		groups,
		fieldGroups,
		startDate: typeof raw.startDate === 'string' && raw.startDate !== '' ? raw.startDate : undefined,
		leaveDate: typeof raw.leaveDate === 'string' && raw.leaveDate !== '' ? raw.leaveDate : undefined,
		manager, // always present (undefined: none): one shape for every record, no spread per record
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
