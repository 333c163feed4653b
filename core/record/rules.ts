// The rules of the Plek user record, one copy for every node (Mapper output, Sync input, Plek node):
// one limit per thing, one list of refused profile paths, one control-character rule, one list of hostile names.
// Free of n8n. docs/plek-user-record.schema.json describes the same contract.
import { isPlainAsciiEmail, isValidEmail } from '../mapping/helpers';
import { CORE_USER_SCHEMA, isEmailValuePath, parseScimPath, ScimPathError } from '../scimPath';
import type { AttributeInfo } from '../mapping/types';

/** Limits of a record. One number per thing: every text (key, userName, values, group names). */
export interface RecordLimits {
	/** Longest text anywhere in the record (key, userName, profile values, group names). Default 2048. */
	maxStringLength: number;
}

export const DEFAULT_MAX_STRING_LENGTH = 2048;
export const DEFAULT_RECORD_LIMITS: Readonly<RecordLimits> = Object.freeze({ maxStringLength: DEFAULT_MAX_STRING_LENGTH });

/** The record's own fields (the schema's additionalProperties is false). */
export const RECORD_FIELDS: ReadonlySet<string> = new Set(['key', 'userName', 'active', 'profile', 'createOnly', 'groups', 'fieldGroups', 'startDate', 'leaveDate', 'manager']);

/** Names that could reach an object prototype: rejected wherever a record names a field. */
export const HOSTILE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

// One ASCII test for the e-mail check and the record rules (helpers cannot import this module: it imports helpers).
export { isAsciiText } from '../mapping/helpers';

/** What one scan of a text found (every record text is scanned once, for both questions):
 * ASCII only; some code unit above U+007F and no control character; a C0 or C1 control character (or DEL). */
export const TextScan = { Ascii: 0, NonAscii: 1, Control: 2 } as const;
export type TextScan = (typeof TextScan)[keyof typeof TextScan];

// Anything but printable ASCII (U+0020-U+007E). V8's regex engine answers "is there one?" faster than a code-unit
// loop (measured: 900k record texts, 19 ms vs 31 ms), so the loop runs only for the rare text that has one.
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

export function scanText(value: string): TextScan {
	if (!NOT_PRINTABLE_ASCII.test(value)) return TextScan.Ascii;
	let nonAscii = false;
	for (let i = 0; i < value.length; i++) {
		const code = value.charCodeAt(i);
		if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return TextScan.Control;
		if (code > 0x7f) nonAscii = true;
	}
	return nonAscii ? TextScan.NonAscii : TextScan.Ascii;
}

/**
 * Whether the text holds a C0 or C1 control character, DEL included (U+0000-U+001F, U+007F-U+009F). No
 * exceptions: tabs and line breaks are refused as well. A code-unit scan: no regex call per value.
 */
export function hasControlCharacter(value: string): boolean {
	return scanText(value) === TextScan.Control;
}

// Bidirectional formatting characters (U+202E RIGHT-TO-LEFT OVERRIDE and its kin: embeddings, overrides, isolates,
// marks): they make a text display as something else ("evil\u202egnp.exe" shows as "evilexe.png"). Refused everywhere.
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Most groups one record may name: a rule that puts one person in more is a mapping mistake. */
export const MAX_GROUPS_PER_RECORD = 1000;

const LATIN = /\p{Script=Latin}/u;
const LOOKALIKE_SCRIPTS = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

/** An e-mail address whose local part or a domain label mixes Latin letters with Cyrillic or Greek ones (a homoglyph
 * such as Cyrillic "а" in "аdmin@acme.nl"), or undefined. Addresses wholly in one script pass. */
export function mixedScriptProblem(email: string, scan: TextScan = scanText(email)): string | undefined {
	if (scan === TextScan.Ascii) return undefined; // no Cyrillic or Greek letter: nothing to split and test
	const parts = email.split(/[@.]/);
	const mixed = parts.find((part) => LATIN.test(part) && LOOKALIKE_SCRIPTS.test(part));
	return mixed === undefined ? undefined : `mixes Latin with Cyrillic or Greek letters in "${mixed}" (a look-alike of another address)`;
}

/** A plain login: letters/digits first, then letters, digits, `.`, `_`, `-`, `'`; at most 256 characters. */
const LOGIN = /^[\p{L}\p{N}][\p{L}\p{N}._'-]{0,255}$/u;

const CORE_USER_PREFIX = `${CORE_USER_SCHEMA.toLowerCase()}:`;
const NOT_SYNCED_PICTURE = /photo|picture|avatar|thumbnail/i;
const NOT_SYNCED_BIRTH = /birth/i;

/** Why a text cannot be stored, or undefined (the one length and control-character rule). */
export function checkString(value: string, maxLength: number): string | undefined {
	return value.length > maxLength ? tooLong(value, maxLength) : scannedTextProblem(value, scanText(value));
}

const tooLong = (value: string, maxLength: number) => `is longer than ${maxLength} characters (${value.length})`;

/** checkString's character rules for a text already scanned (its length checked). */
function scannedTextProblem(value: string, scan: TextScan): string | undefined {
	if (scan === TextScan.Control) return 'contains control characters (line breaks, tabs or other invisible codes)';
	if (scan === TextScan.NonAscii && BIDI_CONTROLS.test(value)) return 'contains bidirectional control characters (such as U+202E), which make text display as something else';
	return undefined;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date written `YYYY-MM-DD` (2027-02-30 is not). */
export function isIsoDate(value: string): boolean {
	const m = ISO_DATE.exec(value);
	if (!m) return false;
	const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
	return date.getUTCFullYear() === +m[1] && date.getUTCMonth() === +m[2] - 1 && date.getUTCDate() === +m[3];
}

/** Why a record's date field is not a `YYYY-MM-DD` date, or undefined. null / '' mean "no date". */
function dateFieldProblem(field: string, value: unknown, conversion: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string' && isIsoDate(value)) return undefined;
	const shown = typeof value === 'string' ? `'${value.length > 40 ? `${value.slice(0, 37)}...` : value}'` : typeof value;
	return `"${field}" must be a date written YYYY-MM-DD (got ${shown}); in the Plek Mapper convert it with ${conversion}`;
}

/** Why a record's startDate (first working day, pre-hires) is not one, or undefined. null / '' mean "no start date". */
export function startDateProblem(value: unknown): string | undefined {
	return dateFieldProblem('startDate', value, '$startDate(), e.g. $startDate(hireDate)');
}

/**
 * Why a record's leaveDate (the last working day the source knows, ahead or past) is not one, or undefined.
 * null / '' mean "no leave date". Known to the Sync's report only: Plek has no such attribute, nothing writes it.
 */
export function leaveDateProblem(value: unknown): string | undefined {
	return dateFieldProblem('leaveDate', value, "$toIsoDate(), e.g. $toIsoDate(`Datum uit dienst`) (reads 31-03-2027 and 2027-03-31)");
}

/** Why a userName is not one (e-mail address or plain login), or undefined. */
export function userNameProblem(userName: string, maxLength: number): string | undefined {
	// Nearly every userName is a plain ASCII e-mail address: one regex test passes everything checked below
	// (printable ASCII: no control, bidi or look-alike character; a valid address).
	if (userName.length <= maxLength && isPlainAsciiEmail(userName)) return undefined;
	if (userName.length > maxLength) return `userName ${tooLong(userName, maxLength)}`;
	const scan = scanText(userName);
	const bad = scannedTextProblem(userName, scan);
	if (bad) return `userName ${bad}`;
	if (userName.includes('@')) {
		if (!isValidEmail(userName)) return `userName '${userName}' is not a valid e-mail address`;
		const mixed = mixedScriptProblem(userName, scan);
		if (mixed) return `userName '${userName}' ${mixed}`;
	} else if (!LOGIN.test(userName)) {
		return `userName '${userName}' is neither an e-mail address nor a plain login (letters, digits, . _ - ', no spaces)`;
	}
	return undefined;
}

/** Strip value filters and the core schema URN, lower-case: `emails[type eq "work"].value` -> `emails.value`. */
export function normaliseAttributePath(path: string): string {
	let normalised = path.trim().replace(/\[[^\]]*\]/g, '').toLowerCase();
	if (normalised.startsWith(CORE_USER_PREFIX)) normalised = normalised.slice(CORE_USER_PREFIX.length);
	return normalised;
}

/** Whether the path (text) holds an e-mail address: isEmailValuePath of the parsed path; a malformed path holds none. */
export function isEmailPath(path: string): boolean {
	try {
		return isEmailValuePath(parseScimPath(path));
	} catch {
		return false;
	}
}

export type SchemaIndex = Map<string, AttributeInfo>;

export function indexSchema(schema: AttributeInfo[] | undefined): SchemaIndex | undefined {
	if (!schema) return undefined;
	const index: SchemaIndex = new Map();
	for (const attribute of schema) index.set(normaliseAttributePath(attribute.path), attribute);
	return index;
}

function scimPathProblem(path: string): string | undefined {
	try {
		const parsed = parseScimPath(path);
		if (parsed.filter && parsed.subAttribute === undefined) {
			return `${path} addresses a whole element; name a sub-attribute, as in emails[type eq "work"].value`;
		}
		return undefined;
	} catch (error) {
		return error instanceof ScimPathError ? error.message : String(error);
	}
}

/**
 * Identity and lifecycle fields the record sets itself, and what to use instead. A Map, not an object literal:
 * looking up a path's first segment must never find Object.prototype's members (`constructor.prototype` once got
 * the message "function Object() { [native code] }" from such a lookup).
 */
const OWN_FIELDS: ReadonlyMap<string, string> = new Map([
	['username', 'use the record\'s "userName" (the Mapper\'s User Name setting)'],
	['externalid', 'the sync sets it itself from the mapping key'],
	['active', 'the sync sets it itself from the record\'s "active" (the Mapper\'s Active setting)'],
	['groups', 'use the record\'s "groups" (Group Rules)'],
]);

// The segments of a path: its names between `.`, `:` and `[ ]`, filter values (quoted) left out.
const QUOTED = /"(?:[^"\\]|\\.)*"/g;
const SEGMENT_SEPARATORS = /[.:[\]\s]+/;

/** The first segment of `path` named __proto__, constructor or prototype (any case), or undefined. */
export function hostileSegment(path: string): string | undefined {
	return path
		.replace(QUOTED, '')
		.split(SEGMENT_SEPARATORS)
		.find((segment) => HOSTILE_NAMES.has(segment.toLowerCase()));
}

/** Refusals from Plek's schema (/Schemas), when it is known. */
function schemaProblem(path: string, normalised: string, schema: SchemaIndex): string | undefined {
	const attribute = schema.get(normalised);
	if (!attribute) return `${path} is not a user attribute in Plek's schema (/Schemas)`;
	const type = attribute.type.toLowerCase();
	if (type === 'datetime') return `Plek does not sync date fields: ${path} is a dateTime attribute in Plek's schema`;
	if (type === 'binary') return `Plek does not sync binary attributes (${path})`;
	if (type === 'complex') return `${path} is a complex attribute; map one of its sub-attributes (for example ${path}.value)`;
	if ((attribute.mutability ?? '').toLowerCase() === 'readonly') return `${path} is read-only in Plek's schema`;
	return undefined;
}

/** Why a profile path cannot be a target, or undefined when it can: the one list of refused paths. */
export function checkProfilePath(path: unknown, schema?: SchemaIndex): string | undefined {
	if (typeof path !== 'string' || path.trim() === '') return 'the profile field path is empty';
	if (path.trim() !== path) return `profile path '${path}' has leading or trailing spaces`;
	if (HOSTILE_NAMES.has(path)) return `'${path}' is a reserved name, not a SCIM attribute path`;
	const hostile = hostileSegment(path);
	if (hostile !== undefined) {
		return `${path} has a segment named '${hostile}', a reserved name (__proto__, constructor and prototype are never SCIM attribute names)`;
	}
	const problem = scimPathProblem(path);
	if (problem) return `${problem} (examples: name.givenName, title, emails[type eq "work"].value)`;
	const normalised = normaliseAttributePath(path);
	const extension = normalised.includes(':');
	const top = normalised.split('.')[0].split(':').pop() ?? normalised;
	if (NOT_SYNCED_PICTURE.test(normalised)) return `Plek does not sync profile pictures (${path}); remove this field`;
	if (NOT_SYNCED_BIRTH.test(normalised)) return `Plek does not sync birthdates (${path}); remove this field`;
	const own = extension ? undefined : OWN_FIELDS.get(top);
	if (own !== undefined) return `${path} is not allowed as a profile field: ${own}`;
	if (!extension && ['id', 'meta', 'schemas'].includes(top)) {
		return `${path} is not allowed as a profile field: it is read-only, Plek sets it itself`;
	}
	if (top === 'password' || top === 'x509certificates') {
		return `Plek does not sync ${top === 'password' ? 'passwords' : 'certificates'} (${path})`;
	}
	return schema ? schemaProblem(path, normalised, schema) : undefined;
}

/**
 * Why a profile value cannot be stored at `path`, or undefined (null and '' mean "empty in the source").
 * `isEmail` (whether `path` holds an e-mail address) may be passed when the caller already knows it.
 */
export function profileValueProblem(path: string, value: unknown, limits: RecordLimits, isEmail?: boolean): string | undefined {
	if (value === null) return undefined;
	if (typeof value === 'boolean') return undefined;
	if (typeof value === 'number') return Number.isFinite(value) ? undefined : `profile value of "${path}" is not a finite number`;
	if (typeof value !== 'string') return `profile value of "${path}" must be text, a number, true/false or null`;
	if (value.length > limits.maxStringLength) return `${path} ${tooLong(value, limits.maxStringLength)}`;
	const scan = scanText(value);
	const bad = scannedTextProblem(value, scan);
	if (bad) return `${path} ${bad}`;
	if (value === '' || !(isEmail ?? isEmailPath(path))) return undefined;
	if (!isValidEmail(value.trim())) return `${path} '${value}' is not a valid e-mail address`;
	const mixed = mixedScriptProblem(value, scan);
	return mixed ? `${path} '${value}' ${mixed}` : undefined;
}
