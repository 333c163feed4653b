// Plek's rules for a user record, applied to everything the mapping produces.
import { parseScimPath, ScimPathError, scimPathKey } from '../scimPath';
import type { ProfileValue } from '../types';
import { isValidEmail } from './helpers';
import { HOSTILE_KEYS } from './sanitize';
import type { AttributeInfo } from './types';

export const DEFAULT_MAX_STRING_LENGTH = 2048;

// C0 and C1 control characters, DEL included. No exceptions: tabs and line breaks are refused as well.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

const CORE_USER_PREFIX = 'urn:ietf:params:scim:schemas:core:2.0:user:';

/** The path syntax is the one core/scimPath (used by Sync) understands; its message when it does not. */
function scimPathProblem(path: string): string | undefined {
	try {
		parseScimPath(path);
		return undefined;
	} catch (error) {
		return error instanceof ScimPathError ? error.message : String(error);
	}
}

/** Two spellings of the same target (`Name.GivenName`, `name.givenName`) get the same key. */
export function profilePathKey(path: string): string {
	return scimPathProblem(path) ? path.toLowerCase() : scimPathKey(path);
}

/** A plain login: letters/digits first, then letters, digits, `.`, `_`, `-`, `'`; at most 256 characters. */
const LOGIN = /^[\p{L}\p{N}][\p{L}\p{N}._'-]{0,255}$/u;

const NOT_SYNCED_PICTURE = /photo|picture|avatar|thumbnail/i;
const NOT_SYNCED_BIRTH = /birth/i;

/** Strip value filters and the core schema URN, lower-case: `emails[type eq "work"].value` -> `emails.value`. */
export function normaliseAttributePath(path: string): string {
	let normalised = path.trim().replace(/\[[^\]]*\]/g, '').toLowerCase();
	if (normalised.startsWith(CORE_USER_PREFIX)) normalised = normalised.slice(CORE_USER_PREFIX.length);
	return normalised;
}

export function isEmailPath(path: string): boolean {
	const normalised = normaliseAttributePath(path);
	return normalised === 'emails' || normalised === 'emails.value';
}

export type SchemaIndex = Map<string, AttributeInfo>;

export function indexSchema(schema: AttributeInfo[] | undefined): SchemaIndex | undefined {
	if (!schema) return undefined;
	const index: SchemaIndex = new Map();
	for (const attribute of schema) index.set(normaliseAttributePath(attribute.path), attribute);
	return index;
}

/** Why a profile path cannot be a target, or undefined when it can. */
export function checkProfilePath(path: unknown, schema?: SchemaIndex): string | undefined {
	if (typeof path !== 'string' || path.trim() === '') return 'the profile field path is empty';
	const trimmed = path.trim();
	if (HOSTILE_KEYS.has(trimmed)) return `'${trimmed}' is a reserved name, not a SCIM attribute path`;
	const problem = scimPathProblem(trimmed);
	if (problem) return `${problem} (examples: name.givenName, title, emails[type eq "work"].value)`;
	const normalised = normaliseAttributePath(trimmed);
	const top = normalised.split(/[.]/)[0].split(':').pop() ?? normalised;
	if (NOT_SYNCED_PICTURE.test(normalised)) {
		return `Plek does not sync profile pictures (${trimmed}); remove this field`;
	}
	if (NOT_SYNCED_BIRTH.test(normalised)) {
		return `Plek does not sync birthdates (${trimmed}); remove this field`;
	}
	if (['username', 'active', 'externalid'].includes(normalised)) {
		return `${trimmed} is not a profile field: set it with the Mapping Key, User Name or Active setting`;
	}
	if (top === 'groups' && !normalised.includes(':')) {
		return 'groups is not a profile field: use Group Rules';
	}
	if (['id', 'meta', 'schemas'].includes(top) && !normalised.includes(':')) {
		return `${trimmed} is read-only: Plek sets it itself`;
	}
	if (top === 'password' || top === 'x509certificates') {
		return `Plek Mapper does not sync ${top === 'password' ? 'passwords' : 'certificates'} (${trimmed})`;
	}
	if (schema) {
		const attribute = schema.get(normalised);
		if (!attribute) return `${trimmed} is not a user attribute in Plek's schema (/Schemas)`;
		const type = attribute.type.toLowerCase();
		if (type === 'datetime') {
			return `Plek does not sync date fields: ${trimmed} is a dateTime attribute in Plek's schema`;
		}
		if (type === 'binary') return `Plek does not sync binary attributes (${trimmed})`;
		if (type === 'complex') {
			return `${trimmed} is a complex attribute; map one of its sub-attributes (for example ${trimmed}.value)`;
		}
		if ((attribute.mutability ?? '').toLowerCase() === 'readonly') {
			return `${trimmed} is read-only in Plek's schema`;
		}
	}
	return undefined;
}

/** Why a string cannot be stored, or undefined. */
export function checkString(value: string, maxLength: number): string | undefined {
	if (value.length > maxLength) return `is longer than ${maxLength} characters (${value.length})`;
	if (CONTROL_CHARACTERS.test(value)) return 'contains control characters (line breaks, tabs or other invisible codes)';
	return undefined;
}

export type Checked<T> = { value: T; reason?: undefined } | { reason: string; value?: undefined };

export function checkKey(raw: unknown, maxLength: number): Checked<string> {
	if (raw === undefined || raw === null) return { reason: 'mapping key is empty: the key expression returned nothing' };
	let key: string;
	if (typeof raw === 'string') key = raw.trim();
	else if (typeof raw === 'number' && Number.isFinite(raw)) key = String(raw);
	else return { reason: `mapping key must be text (or a number), got ${kindOf(raw)}` };
	if (key === '') return { reason: 'mapping key is empty' };
	const bad = checkString(key, maxLength);
	return bad ? { reason: `mapping key ${bad}` } : { value: key };
}

export function checkUserName(raw: unknown, maxLength: number): Checked<string> {
	if (raw === undefined || raw === null || raw === '') {
		return { reason: 'userName is required: the User Name expression returned nothing and there is no e-mail field' };
	}
	let userName: string;
	if (typeof raw === 'string') userName = raw.trim();
	else if (typeof raw === 'number' && Number.isFinite(raw)) userName = String(raw);
	else return { reason: `userName must be text, got ${kindOf(raw)}` };
	if (userName === '') return { reason: 'userName is required (it is empty)' };
	const bad = checkString(userName, maxLength);
	if (bad) return { reason: `userName ${bad}` };
	if (userName.includes('@')) {
		if (!isValidEmail(userName)) return { reason: `userName '${userName}' is not a valid e-mail address` };
	} else if (!LOGIN.test(userName)) {
		return {
			reason: `userName '${userName}' is neither an e-mail address nor a plain login (letters, digits, . _ - ', no spaces)`,
		};
	}
	return { value: userName };
}

export function checkActive(raw: unknown): Checked<boolean> {
	if (typeof raw === 'boolean') return { value: raw };
	if (raw === undefined || raw === null) return { reason: 'active is missing: the Active expression returned nothing' };
	return { reason: `active must be true or false, got ${kindOf(raw)}; wrap text values in $toBool()` };
}

/** Validate one profile value. Missing and empty text become null (empty in the source). */
export function checkProfileValue(
	path: string,
	raw: unknown,
	maxLength: number,
	schema?: SchemaIndex,
): Checked<ProfileValue> {
	if (raw === undefined || raw === null || raw === '') return { value: null };
	let value: ProfileValue;
	if (typeof raw === 'string' || typeof raw === 'boolean') value = raw;
	else if (typeof raw === 'number') {
		if (!Number.isFinite(raw)) return { reason: `${path} is not a finite number` };
		value = raw;
	} else {
		return {
			reason: `${path} must be a single value (text, number, true/false or null), got ${kindOf(raw)}; pick one value, e.g. with $ldapFirst() or $join()`,
		};
	}
	const attribute = schema?.get(normaliseAttributePath(path));
	if (attribute) {
		const type = attribute.type.toLowerCase();
		if ((type === 'string' || type === 'reference') && typeof value === 'number') value = String(value);
		if ((type === 'string' || type === 'reference') && typeof value !== 'string') {
			return { reason: `${path} is text in Plek's schema, got ${kindOf(value)}` };
		}
		if (type === 'boolean' && typeof value !== 'boolean') {
			return { reason: `${path} is true/false in Plek's schema, got ${kindOf(value)}` };
		}
		if ((type === 'integer' || type === 'decimal') && typeof value !== 'number') {
			return { reason: `${path} is a number in Plek's schema, got ${kindOf(value)}` };
		}
		if (type === 'integer' && !Number.isInteger(value)) return { reason: `${path} must be a whole number` };
	}
	if (typeof value === 'string') {
		const bad = checkString(value, maxLength);
		if (bad) return { reason: `${path} ${bad}` };
		if (isEmailPath(path) && !isValidEmail(value.trim())) {
			return { reason: `${path} '${value}' is not a valid e-mail address` };
		}
	}
	return { value };
}

export function checkGroupName(raw: unknown, maxLength: number): Checked<string> {
	if (typeof raw !== 'string') return { reason: `group name must be text, got ${kindOf(raw)}` };
	const name = raw.trim();
	if (name === '') return { reason: 'group name is empty' };
	const bad = checkString(name, maxLength);
	return bad ? { reason: `group name ${bad}` } : { value: name };
}

export function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return `a list of ${value.length}`;
	if (value instanceof Uint8Array) return 'binary data';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') return `text '${value.length > 40 ? `${value.slice(0, 37)}...` : value}'`;
	if (typeof value === 'function') return 'a function';
	return `${typeof value} ${String(value)}`;
}
