// The Mapper's coercion of evaluated values into a Plek user record. The rules themselves (limits, refused
// paths, control characters, hostile names) live in core/record, shared with Sync and the Plek node.
import { checkString, isEmailPath, normaliseAttributePath, userNameProblem, type SchemaIndex } from '../record/rules';
import type { ProfileValue } from '../types';
import { isValidEmail } from './helpers';

export {
	checkProfilePath,
	checkString,
	DEFAULT_MAX_STRING_LENGTH,
	indexSchema,
	isEmailPath,
	normaliseAttributePath,
	type SchemaIndex,
} from '../record/rules';

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
	const bad = userNameProblem(userName, maxLength);
	if (bad) return { reason: bad };
	return { value: userName };
}

export function checkActive(raw: unknown): Checked<boolean> {
	if (typeof raw === 'boolean') return { value: raw };
	if (raw === undefined || raw === null) return { reason: 'active is missing: the Active expression returned nothing' };
	return { reason: `active must be true or false, got ${kindOf(raw)}; wrap text values in $toBool()` };
}

/**
 * Validate one profile value. Missing and empty text become null (empty in the source). `isEmail` (whether `path`
 * holds an e-mail address) may be passed when the caller knows it, so the path is not normalised per record.
 */
export function checkProfileValue(
	path: string,
	raw: unknown,
	maxLength: number,
	schema?: SchemaIndex,
	isEmail?: boolean,
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
		if ((isEmail ?? isEmailPath(path)) && !isValidEmail(value.trim())) {
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
